//! The registry's forms as clerks fill them: 民族 and 政治面貌 chosen from the national lists and
//! checked on the server and in imports, phones that can be dialled, required fields marked.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use super::excel::xlsx;

fn deputy<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", "才让"),
        ("gender", "male"),
        ("ethnicity", "藏族"),
        ("birth_year", "1975"),
        ("party", "台盟盟员"),
        ("phone", "13912345678"),
        ("level", "township"),
        ("congress_region", "632521100"),
        ("term", "18"),
        ("constituency_region", "632521100201"),
    ];
    for (k, v) in changes {
        if let Some(slot) = f.iter_mut().find(|(fk, _)| fk == k) {
            slot.1 = v;
        }
    }
    f
}

both_backends!(
    async fn ethnicity_and_party_are_chosen_from_the_lists_and_checked(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get("/deputies/new").await.html();
        let ethnicities = form.texts("select[name=ethnicity] option");
        assert_eq!(ethnicities.len(), 58, "请选择, the 56 groups, 其他");
        assert_eq!(&ethnicities[1..3], ["汉族", "蒙古族"]);
        assert_eq!(ethnicities.last().map(String::as_str), Some("其他"));
        let parties = form.texts("select[name=party] option");
        assert_eq!(parties.len(), 14, "{parties:?}");
        assert!(parties.contains(&"台盟盟员".to_owned()) && parties.contains(&"无党派人士".to_owned()));
        // required fields carry a visible mark, explained once
        assert!(form.count("form label .req, form strong .req") >= 6);
        assert!(form.text(".required-legend").contains("必填"));
        // a value outside the lists is refused by the server, naming the field
        let r = clerk.post_form("/deputies", &deputy(&[("ethnicity", "火星族"), ("party", "火星党")])).await;
        assert_eq!(r.status.as_u16(), 422);
        let errors = r.html().texts("ul.errors li");
        assert!(errors.iter().any(|e| e.contains("民族“火星族”")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("政治面貌“火星党”") && e.contains("九三学社社员")), "{errors:?}");
        // 台盟盟员 and 其他 are on the lists
        let r = clerk.post_form("/deputies", &deputy(&[("ethnicity", "其他")])).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(r.location().unwrap()).await.body;
        assert!(page.contains("台盟盟员") && page.contains("其他"));
    }
);

both_backends!(
    async fn an_imported_party_outside_the_list_is_a_row_error(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("town_clerk", PASSWORD).await;
        c.get("/import/deputies").await;
        let head: &[&str] = &["姓名*", "性别*", "民族", "政治面貌", "代表层级*", "选举产生的人大代码*", "届次*", "选区所在行政区代码*"];
        let rows: &[&[&str]] = &[
            head,
            &["才让", "男", "藏", "无党派", "乡镇", "632521100", "18", "632521100201"],
            &["卓玛", "女", "藏族", "台盟", "乡镇", "632521100", "18", "632521100201"],
            &["马福海", "男", "回族", "自由党", "乡镇", "632521100", "18", "632521100201"],
        ];
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(rows)).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let cells = r.html().texts("#import-errors tbody td");
        let errors: Vec<&[String]> = cells.chunks(3).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0][0], "第 4 行");
        assert_eq!(errors[0][1], "政治面貌");
        assert!(errors[0][2].contains("“自由党”无法识别"), "{errors:?}");
        // without the bad row the file lands, the short forms read as the full names
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(&rows[..3])).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let list = c.get("/deputies").await.html();
        let names = list.texts("#deputies tbody td a");
        let hrefs = list.attrs("#deputies tbody td a", "href");
        let at = names.iter().position(|n| n == "才让").expect("imported");
        assert!(names.contains(&"卓玛".to_owned()));
        assert!(c.get(&hrefs[at]).await.body.contains("无党派人士"));
    }
);

both_backends!(
    async fn station_and_unit_phones_are_numbers_one_can_dial(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get("/stations/new").await.html();
        assert!(form.count("label .req") >= 2);
        assert!(form.text(".required-legend").contains("必填"));
        let station = |phone: &'static str, manager: &'static str| {
            vec![("name", "西台村代表联络点"), ("kind", "point"), ("region", "632521100202"), ("phone", phone), ("manager_phone", manager)]
        };
        let r = clerk.post_form("/stations", &station("8512345", "1391234")).await;
        assert_eq!(r.status.as_u16(), 422);
        let errors = r.html().texts("ul.errors li");
        assert!(errors.iter().any(|e| e.contains("站点电话") && e.contains("区号")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("负责人电话")), "{errors:?}");
        let r = clerk.post_form("/stations", &station("0974-8512345", "139 1234 5678")).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // a unit's phone too
        clerk.get("/units").await;
        let unit = |phone: &'static str| vec![("region", "632521100"), ("name", "恰卜恰镇人民政府"), ("kind", "township_government"), ("phone", phone)];
        let r = clerk.post_form("/units", &unit("12ab")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("联系电话")));
        assert_eq!(clerk.post_form("/units", &unit("0974-8512000")).await.status.as_u16(), 303);
    }
);
