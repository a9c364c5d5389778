//! Real .xlsx in and out: calamine reads the first sheet as text cells, rust_xlsxwriter writes a sheet
//! with a bold, frozen header row and an optional "填写说明" sheet.
//!
//! An upload is checked before it is read (`archive::check`: a zip bomb is refused from the archive's
//! directory), read cell by cell with the rows and columns bounded (never as one range, whose size a
//! file can declare), and at most `PARSES` files are read at once.

pub mod archive;

use std::io::Cursor;
use std::sync::{Arc, LazyLock};

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook};
use tokio::sync::Semaphore;

/// Largest .xlsx accepted (a 20,000-row import is about 2 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Rows read from a sheet (a header, 20,000 data rows, and room for blank rows between them).
pub const MAX_ROWS: u32 = 40_000;
/// Columns read from a sheet (the widest template has 20).
pub const MAX_COLS: u32 = 100;
/// Spreadsheets read at once (each may hold `archive::MAX_UNPACKED` of text).
pub const PARSES: usize = 1;

static READING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(PARSES)));

const NOT_XLSX: &str = "这不是有效的 Excel 文件（.xlsx），请用模板填写后上传";

/// `read_first_sheet` off the async threads, one file at a time.
pub async fn read_first_sheet_bounded(bytes: axum::body::Bytes) -> Result<Vec<Vec<String>>, String> {
    let permit = READING
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| "读取失败，请重试".to_owned())?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        read_first_sheet(&bytes)
    })
    .await
    .map_err(|_| "读取失败，请重试".to_owned())?
}

/// Every row of the first sheet as trimmed text. Numbers typed into cells come back without a
/// trailing ".0" (so a region code typed as a number still reads as the code). Rows and columns start
/// at the first used ones, as in the sheet's used range.
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!("Excel 文件不能超过 {} MB", MAX_BYTES / (1024 * 1024)));
    }
    archive::check(bytes)?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| NOT_XLSX.to_owned())?;
    let name = wb.sheet_names().first().cloned().ok_or("文件里没有工作表")?;
    let mut cells = wb
        .worksheet_cells_reader(&name)
        .map_err(|_| "无法读取第一个工作表".to_owned())?;
    let mut found: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| "无法读取第一个工作表".to_owned())? {
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS {
            return Err("一次最多导入 20000 行，请分批导入".into());
        }
        if col >= MAX_COLS {
            return Err(format!("表格超过 {MAX_COLS} 列，请使用下载的模板"));
        }
        let text = match cell.get_value() {
            DataRef::String(s) => s.trim().to_owned(),
            DataRef::SharedString(s) => s.trim().to_owned(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            DataRef::DateTime(d) => excel_date(d.as_f64()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(_) | DataRef::Empty => continue,
        };
        found.push((row, col, text));
    }
    let (Some(top), Some(left)) = (found.iter().map(|c| c.0).min(), found.iter().map(|c| c.1).min()) else {
        return Ok(vec![]);
    };
    let bottom = found.iter().map(|c| c.0).max().unwrap_or(top);
    let right = found.iter().map(|c| c.1).max().unwrap_or(left);
    let width = (right - left + 1) as usize;
    let mut rows = vec![vec![String::new(); width]; (bottom - top + 1) as usize];
    for (r, c, text) in found {
        rows[(r - top) as usize][(c - left) as usize] = text;
    }
    Ok(rows)
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One sheet of text cells (header first), plus an optional sheet of (column, explanation) notes.
pub fn write_workbook(
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    notes: &[(&str, &str)],
) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color(0xF3E5E3);
    let text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(|e| e.to_string())?;
    for (c, h) in headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|e| e.to_string())?;
        ws.write_string_with_format(0, col, *h, &bold)
            .map_err(|e| e.to_string())?;
        let width = (h.chars().count() as f64 * 2.4).max(12.0);
        ws.set_column_width(col, width).map_err(|e| e.to_string())?;
        ws.set_column_format(col, &text).map_err(|e| e.to_string())?;
    }
    ws.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, u16::try_from(c).map_err(|e| e.to_string())?, v)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if !notes.is_empty() {
        let ns = wb.add_worksheet();
        ns.set_name("填写说明").map_err(|e| e.to_string())?;
        ns.write_string_with_format(0, 0, "列", &bold)
            .map_err(|e| e.to_string())?;
        ns.write_string_with_format(0, 1, "说明", &bold)
            .map_err(|e| e.to_string())?;
        ns.set_column_width(0, 22).map_err(|e| e.to_string())?;
        ns.set_column_width(1, 90).map_err(|e| e.to_string())?;
        for (i, (col, note)) in notes.iter().enumerate() {
            let r = u32::try_from(i + 1).map_err(|e| e.to_string())?;
            ns.write_string(r, 0, *col).map_err(|e| e.to_string())?;
            ns.write_string(r, 1, *note).map_err(|e| e.to_string())?;
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// Maps the header row to column positions; `columns` are (header, required). Headers may carry a
/// trailing `*` and surrounding spaces.
pub fn header_positions(
    header: &[String],
    columns: &[(&str, bool)],
) -> Result<Vec<Option<usize>>, Vec<String>> {
    let clean = |h: &str| h.trim().trim_end_matches(['*', '＊']).trim().to_owned();
    let found: Vec<String> = header.iter().map(|h| clean(h)).collect();
    let mut missing = Vec::new();
    let pos = columns
        .iter()
        .map(|(name, required)| {
            let p = found.iter().position(|h| h == name);
            if p.is_none() && *required {
                missing.push(format!("第 1 行缺少必填列「{name}」（请使用下载的模板）"));
            }
            p
        })
        .collect();
    if missing.is_empty() { Ok(pos) } else { Err(missing) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_it_reads() {
        let rows = vec![
            vec!["恰卜恰镇人大代表之家".to_owned(), "632521100".to_owned()],
            vec!["".to_owned(), "x".to_owned()],
        ];
        let bytes = write_workbook(
            "站点",
            &["站点名称*", "所在行政区代码*"],
            &rows,
            &[("站点名称", "必填")],
        )
        .unwrap();
        let back = read_first_sheet(&bytes).unwrap();
        assert_eq!(back[0], ["站点名称*", "所在行政区代码*"]);
        assert_eq!(back[1], ["恰卜恰镇人大代表之家", "632521100"]);
        let pos = header_positions(
            &back[0],
            &[("所在行政区代码", true), ("站点名称", true), ("地址", false)],
        )
        .unwrap();
        assert_eq!(pos, [Some(1), Some(0), None]);
        assert!(header_positions(&back[0], &[("类型", true)]).is_err());
        assert!(read_first_sheet(b"not a zip").is_err());
    }

    #[test]
    fn a_zip_bomb_is_refused_before_the_spreadsheet_reader() {
        let bomb = archive::tests::zeros("xl/worksheets/sheet1.xml", 80 * 1024 * 1024);
        let err = read_first_sheet(&bomb).unwrap_err();
        assert!(err.contains("解压后过大"), "{err}");
    }

    #[test]
    fn cells_far_apart_do_not_make_a_huge_range() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "站点名称").unwrap();
        ws.write_string(1_000_000, 16_000, "远处").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let err = read_first_sheet(&bytes).unwrap_err();
        assert!(err.contains("20000"), "{err}");
    }
}
