//! The phones the registry keeps (a station's, its manager's and liaison officer's, a handling
//! unit's, a deputy's): read like every phone (`personal::Phone`), and dialable from anywhere — a
//! mobile, a landline with its area code, or a 400/800 service number.

use crate::personal::Phone;

/// `Ok` for an empty field or a dialable number; else the Chinese reason, naming the field by `label`.
pub fn check_dialable(typed: &str, label: &str) -> Result<(), String> {
    let reason = || format!("{label}应为手机号或带区号的座机号，如 13912345678、0974-8512345");
    let Some(phone) = Phone::parse(typed).map_err(|_| reason())? else {
        return Ok(());
    };
    let digits = phone.into_personal();
    let d = digits.expose();
    let b = d.as_bytes();
    let landline = b.first() == Some(&b'0') && b.get(1) != Some(&b'0') && (10..=12).contains(&b.len());
    let service = (d.starts_with("400") || d.starts_with("800")) && b.len() == 10;
    if crate::mask::is_mobile(d) || landline || service {
        Ok(())
    } else {
        Err(reason())
    }
}

#[cfg(test)]
mod tests {
    use super::check_dialable;

    #[test]
    fn mobiles_landlines_with_area_code_and_service_numbers() {
        for ok in [
            "",
            "13912345678",
            "+86 139 1234 5678",
            "0974-8512345",
            "010-12345678",
            "(0971)8123456",
            "0755 1234 5678",
            "400-123-4567",
        ] {
            assert_eq!(check_dialable(ok, "电话"), Ok(()), "{ok}");
        }
        for bad in [
            "8512345",
            "12345678",
            "1234567890",
            "0974-85",
            "tel:0974-8512345",
            "00974851234",
        ] {
            let e = check_dialable(bad, "站点电话").unwrap_err();
            assert!(e.starts_with("站点电话应为"), "{bad}: {e}");
        }
    }
}
