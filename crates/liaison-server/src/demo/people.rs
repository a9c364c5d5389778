//! Believable names and attributes for a county on the Qinghai plateau (Han, Tibetan, Hui, Tu, Mongol,
//! Salar residents). All invented.

use super::rng::Rng;

const HAN_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
    "董", "袁",
];
const HAN_GIVEN_M: &[&str] = &[
    "建国", "德明", "志强", "国华", "永福", "海军", "文斌", "明亮", "成林", "保平", "立新", "兴旺", "学军",
    "宏伟", "振华", "永红", "长青", "世杰", "玉林", "俊", "强", "伟", "斌", "涛", "军",
];
const HAN_GIVEN_F: &[&str] = &[
    "秀兰", "玉兰", "桂英", "丽华", "海燕", "春梅", "晓红", "淑芳", "雪梅", "金花", "艳", "芳", "静", "丽",
    "敏", "霞", "红梅", "玉梅", "小燕", "慧",
];
const TIBETAN_M: &[&str] = &[
    "才让", "扎西", "多杰", "索南", "更登", "仁青", "尼玛", "旦增", "拉加", "公保", "桑杰", "完玛", "昂秀",
    "周加", "华旦", "南加",
];
const TIBETAN_F: &[&str] = &[
    "卓玛",
    "拉毛",
    "措吉",
    "央金",
    "才措",
    "德吉",
    "卓嘎",
    "拉姆",
    "吉毛",
    "仁青措",
];
const HUI_SURNAMES: &[&str] = &["马", "韩", "冶", "喇", "沈", "白"];
const HUI_GIVEN_M: &[&str] = &["福海", "成贵", "有德", "明", "忠", "玉龙", "学林", "正清"];
const HUI_GIVEN_F: &[&str] = &["秀英", "玉花", "梅", "芳", "海燕"];

pub struct Person {
    pub name: String,
    pub female: bool,
    pub ethnicity: &'static str,
    pub birth_year: i32,
    pub party: &'static str,
}

/// A name in which no character comes twice: a repeat ("才让才让", "林成林", "明明") is almost
/// always an accident of combining lists, so the draw is made again.
fn distinct(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    chars.iter().enumerate().all(|(i, c)| !chars[i + 1..].contains(c))
}

pub fn person(rng: &mut Rng) -> Person {
    loop {
        let p = draw(rng);
        if distinct(&p.name) {
            return p;
        }
    }
}

fn draw(rng: &mut Rng) -> Person {
    let female = rng.chance(32);
    let roll = rng.below(100);
    let (name, ethnicity) = if roll < 40 {
        let s = rng.pick(HAN_SURNAMES);
        let g = if female {
            rng.pick(HAN_GIVEN_F)
        } else {
            rng.pick(HAN_GIVEN_M)
        };
        (format!("{s}{g}"), "汉族")
    } else if roll < 75 {
        let given = if female {
            rng.pick(TIBETAN_F)
        } else {
            rng.pick(TIBETAN_M)
        };
        // Tibetan names are given names; many people are known by two of them
        let name = if rng.chance(40) {
            format!("{}{}", rng.pick(TIBETAN_M), given)
        } else {
            (*given).to_owned()
        };
        (name, "藏族")
    } else if roll < 90 {
        let s = rng.pick(HUI_SURNAMES);
        let g = if female {
            rng.pick(HUI_GIVEN_F)
        } else {
            rng.pick(HUI_GIVEN_M)
        };
        (format!("{s}{g}"), "回族")
    } else if roll < 95 {
        let s = rng.pick(HAN_SURNAMES);
        let g = if female {
            rng.pick(HAN_GIVEN_F)
        } else {
            rng.pick(HAN_GIVEN_M)
        };
        (format!("{s}{g}"), "土族")
    } else {
        let g = if female {
            rng.pick(TIBETAN_F)
        } else {
            rng.pick(TIBETAN_M)
        };
        ((*g).to_owned(), "蒙古族")
    };
    let party = if rng.chance(68) {
        "中共党员"
    } else if rng.chance(10) {
        "民盟盟员"
    } else {
        "群众"
    };
    Person {
        name,
        female,
        ethnicity,
        birth_year: 1958 + rng.below(42) as i32,
        party,
    }
}

/// Occupations that fit a person: a monk is a Tibetan, Tu or Mongol man; a salaried post (teacher,
/// nurse, civil servant, doctor) ends at retirement age.
fn fits(p: &Person, occupation: &str) -> bool {
    match occupation {
        "僧人" => !p.female && matches!(p.ethnicity, "藏族" | "土族" | "蒙古族"),
        "教师" | "护士" | "公务员" | "乡村医生" => p.birth_year >= 1966,
        _ => true,
    }
}

/// Party membership that fits the occupation: religious professionals are never party members (nor
/// in a democratic party); a party secretary always is.
fn party_for(occupation: &str, drawn: &'static str) -> &'static str {
    match occupation {
        "僧人" => "群众",
        "村党支部书记" | "社区党委书记" => "中共党员",
        _ => drawn,
    }
}

pub const OCCUPATIONS: &[(&str, &str)] = &[
    ("村党支部书记", "村民委员会"),
    ("村委会主任", "村民委员会"),
    ("牧民", "合作社"),
    ("农民", "家庭农场"),
    ("教师", "中心学校"),
    ("乡村医生", "卫生院"),
    ("个体工商户", "个体经营"),
    ("企业负责人", "生态畜牧业合作社"),
    ("社区党委书记", "社区居委会"),
    ("公务员", "镇人民政府"),
    ("护士", "县人民医院"),
    ("僧人", "寺院管理委员会"),
];

pub fn phone(rng: &mut Rng) -> String {
    let prefixes = ["139", "138", "137", "158", "187", "135", "150", "182"];
    format!("{}{:08}", rng.pick(&prefixes), rng.next() % 100_000_000)
}

/// A deputy record for a generated person (shared by the county and province generators).
pub fn deputy_input(
    rng: &mut Rng,
    level: liaison_domain::registry::deputy::DeputyLevel,
    congress: &str,
    region: &str,
    term: i32,
    constituency: String,
    group: String,
) -> Result<liaison_store::registry::deputy::DeputyInput, liaison_domain::DomainError> {
    use liaison_domain::RegionCode;
    use liaison_domain::registry::deputy::Gender;
    let mut p = person(rng);
    let (occupation, employer) = loop {
        let o = *rng.pick(OCCUPATIONS);
        if fits(&p, o.0) {
            break o;
        }
    };
    p.party = party_for(occupation, p.party);
    Ok(liaison_store::registry::deputy::DeputyInput {
        name: p.name,
        gender: Some(if p.female { Gender::Female } else { Gender::Male }),
        ethnicity: p.ethnicity.into(),
        birth_year: Some(p.birth_year),
        party: p.party.into(),
        occupation: occupation.into(),
        employer: employer.into(),
        phone: phone(rng),
        level: Some(level),
        congress_region: Some(RegionCode::parse(congress)?),
        term: Some(term),
        constituency,
        constituency_region: Some(RegionCode::parse(region)?),
        deputy_group: group,
        expert_group: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_domain::registry::deputy::DeputyLevel;

    /// The county draws about a thousand deputies and two hundred station staff from one generator;
    /// twenty times that many from the demo seed covers every combination the lists allow.
    #[test]
    fn the_demo_population_has_no_doubled_names_and_no_monk_in_the_party() {
        let mut rng = Rng::new(crate::demo::DEMO_SEED);
        for i in 0..20_000 {
            let d = deputy_input(
                &mut rng,
                DeputyLevel::Township,
                "632521100",
                "632521100",
                18,
                format!("第{i}选区"),
                String::new(),
            )
            .unwrap();
            assert!(distinct(&d.name), "a doubled syllable: {}", d.name);
            assert!(d.name.chars().count() >= 2, "{}", d.name);
            if d.occupation == "僧人" {
                assert_eq!(d.party, "群众", "{} is a monk", d.name);
                assert_eq!(d.gender, Some(liaison_domain::registry::deputy::Gender::Male));
                assert!(["藏族", "土族", "蒙古族"].contains(&d.ethnicity.as_str()));
            }
            if d.occupation.contains("书记") {
                assert_eq!(d.party, "中共党员", "{}", d.name);
            }
            if ["教师", "护士", "公务员", "乡村医生"].contains(&d.occupation.as_str()) {
                assert!(d.birth_year.unwrap() >= 1966, "{} works past retirement", d.name);
            }
            let s = person(&mut rng);
            assert!(distinct(&s.name), "a doubled syllable: {}", s.name);
        }
        assert!(!distinct("才让才让") && !distinct("林成林") && distinct("扎西卓玛"));
    }
}
