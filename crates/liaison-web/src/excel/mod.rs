//! Real .xlsx in and out: calamine reads the first sheet as text cells, rust_xlsxwriter writes a sheet
//! with a bold, frozen header row and an optional "填写说明" sheet.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook};

/// Every row of the first sheet as trimmed text. Numbers typed into cells come back without a
/// trailing ".0" (so a region code typed as a number still reads as the code).
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| "这不是有效的 Excel 文件（.xlsx），请用模板填写后上传".to_owned())?;
    let name = wb.sheet_names().first().cloned().ok_or("文件里没有工作表")?;
    let range = wb
        .worksheet_range(&name)
        .map_err(|_| "无法读取第一个工作表".to_owned())?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::String(s) => s.trim().to_owned(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
                    Data::DateTime(d) => excel_date(d.as_f64()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(_) | Data::Empty => String::new(),
                })
                .collect()
        })
        .collect())
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
}
