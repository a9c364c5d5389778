//! Reply templates: text with named placeholders such as `{回执码}`, filled per item. Unknown
//! placeholders are left as they are (the clerk sees them and edits), so a typo never loses text.

/// Fills `{name}` placeholders from `values`.
pub fn render(body: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(body.len() + 32);
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fills_known_and_keeps_unknown() {
        let t = "您反映的{类别}问题（回执码{回执码}）已由{单位}处理。{未知}";
        let v = [
            ("类别", "路灯照明"),
            ("回执码", "ABCD-EFGH"),
            ("单位", "恰卜恰镇人民政府"),
        ];
        assert_eq!(
            render(t, &v),
            "您反映的路灯照明问题（回执码ABCD-EFGH）已由恰卜恰镇人民政府处理。{未知}"
        );
        assert_eq!(render("没有占位符 {", &v), "没有占位符 {");
        assert_eq!(render("", &v), "");
    }

    proptest! {
        #[test]
        fn text_without_braces_is_unchanged(s in "[^{}]*") {
            prop_assert_eq!(render(&s, &[("a", "b")]), s);
        }

        #[test]
        fn values_are_inserted_verbatim(v in "[^{}]{0,20}") {
            prop_assert_eq!(render("x{k}y", &[("k", v.as_str())]), format!("x{v}y"));
        }
    }
}
