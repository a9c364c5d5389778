//! An uploaded .xlsx is a zip archive: its central directory is checked before the spreadsheet reader
//! sees it, so a small file that unpacks to gigabytes (a zip bomb) is refused without unpacking it
//! into memory. The declared sizes are bounded (in total, and in ratio to the packed size), then each
//! entry is unpacked into nothing to confirm it is no larger than it declared.

use std::io::{Cursor, Read};

/// What all entries of one workbook may unpack to (a 20,000-row import is a few MB of XML).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Most entries in one workbook.
pub const MAX_ENTRIES: usize = 1000;
/// Most an entry may unpack to per packed byte (spreadsheet XML packs 5–30 times; repetitive sheets
/// more), checked for entries over 1 MB.
pub const MAX_RATIO: u64 = 200;

const NOT_XLSX: &str = "这不是有效的 Excel 文件（.xlsx），请用模板填写后上传";
const TOO_BIG: &str = "Excel 文件解压后过大（可能已损坏或不是正常的表格文件），请用模板重新填写后上传";

/// Refuses an archive that would unpack to more than the limits above.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NOT_XLSX.to_owned())?;
    if zip.len() > MAX_ENTRIES {
        return Err(TOO_BIG.into());
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| NOT_XLSX.to_owned())?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if total > MAX_UNPACKED || (size > 1024 * 1024 && size / packed.max(1) > MAX_RATIO) {
            return Err(TOO_BIG.into());
        }
    }
    // the declared sizes may lie: unpack each entry into nothing, stopping one byte past its claim
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| NOT_XLSX.to_owned())?;
        let declared = entry.size();
        let n = std::io::copy(&mut (&mut entry).take(declared + 1), &mut std::io::sink())
            .map_err(|_| NOT_XLSX.to_owned())?;
        if n > declared {
            return Err(TOO_BIG.into());
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// An archive with one entry of `size` zero bytes (deflated to almost nothing).
    pub(crate) fn zeros(name: &str, size: usize) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(size as u64 > u32::MAX as u64);
        zip.start_file(name, opts).unwrap();
        let block = vec![0u8; 1024 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            zip.write_all(&block[..n]).unwrap();
            left -= n;
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_from_its_directory() {
        let bomb = zeros("xl/worksheets/sheet1.xml", 80 * 1024 * 1024);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let err = check(&bomb).unwrap_err();
        assert!(err.contains("解压后过大"), "{err}");
        let ratio = zeros("xl/sharedStrings.xml", 8 * 1024 * 1024);
        assert!(check(&ratio).unwrap_err().contains("解压后过大"));
        assert!(check(b"not a zip").is_err());
    }

    #[test]
    fn a_declared_size_that_lies_is_caught() {
        let mut bytes = zeros("a.xml", 100_000);
        // lower the declared size in both the local header and the central directory
        let claim = 1000u32.to_le_bytes();
        let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
        bytes[local + 22..local + 26].copy_from_slice(&claim);
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&claim);
        assert!(check(&bytes).is_err());
    }
}
