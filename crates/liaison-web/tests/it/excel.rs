//! Excel in and out: templates, row/column errors with nothing imported, idempotent re-import, exports
//! that round-trip, all in real .xlsx files.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use rust_xlsxwriter::Workbook;

pub(crate) fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

pub(crate) fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    wb.worksheet_range(&name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

const STATION_HEAD: &[&str] = &[
    "站点名称*",
    "类型*",
    "所在行政区代码*",
    "接待日",
    "负责人",
    "负责人电话",
    "设施",
];

both_backends!(
    async fn station_import_is_all_or_nothing_and_idempotent(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("town_clerk", PASSWORD).await;
        // the template is a real workbook with the columns and a sheet of notes
        let (status, tpl) = c.get_bytes("/import/stations/template.xlsx").await;
        assert_eq!(status.as_u16(), 200);
        let head = &read(&tpl)[0];
        assert_eq!(&head[..3], ["站点名称*", "类型*", "所在行政区代码*"]);
        c.get("/import/stations").await;
        // three rows, two of them wrong: named by row and column, nothing imported
        let bad = xlsx(&[
            STATION_HEAD,
            &["东香卡村代表联络室", "代表联络室", "632521100201", "每月10日", "周加", "13700001111", "接待室、意见箱"],
            &["西台村代表联络点", "茶馆", "632521100202", "", "", "", ""],
            &["倒淌河镇某站", "代表联络站", "632521101", "", "", "", ""],
        ]);
        let r = c.post_file("/import/stations?wait=30000", "file", "stations.xlsx", &bad).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let doc = r.html();
        let cells = doc.texts("#import-errors tbody td");
        let rows: Vec<&[String]> = cells.chunks(3).collect();
        assert!(rows.iter().any(|r| r[0] == "第 3 行" && r[1] == "类型" && r[2].contains("“茶馆”无法识别")), "{rows:?}");
        assert!(rows.iter().any(|r| r[0] == "第 4 行" && r[1] == "所在行政区代码" && r[2].contains("管辖范围")), "{rows:?}");
        assert_eq!(app.client().get("/find?region=632521100201").await.html().count(".card h3"), 0, "nothing imported");
        // corrected: all land
        let good = xlsx(&[
            STATION_HEAD,
            &["东香卡村代表联络室", "代表联络室", "632521100201", "每月10日", "周加", "13700001111", "接待室、意见箱"],
            &["西台村代表联络点", "代表联络点", "632521100202", "", "", "", ""],
            &["恰卜恰镇人大代表之家", "代表之家", "632521100", "每月5日", "", "", ""],
        ]);
        let r = c.post_file("/import/stations?wait=30000", "file", "stations.xlsx", &good).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 3 条，更新 0 条，未变化 0 条。");
        // the same file again changes nothing
        let r = c.post_file("/import/stations?wait=30000", "file", "stations.xlsx", &good).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 0 条，更新 0 条，未变化 3 条。");
        // export with a filter, re-import the export: unchanged
        let (_, exported) = c.get_bytes("/export/stations.xlsx?kind=room").await;
        let sheet = read(&exported);
        assert_eq!(sheet.len(), 2, "header + the one room");
        assert_eq!(sheet[1][0], "东香卡村代表联络室");
        c.get("/import/stations").await;
        let r = c.post_file("/import/stations?wait=30000", "file", "export.xlsx", &exported).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 0 条，更新 0 条，未变化 1 条。");
        // a garbage upload is refused clearly
        let r = c.post_file("/import/stations?wait=30000", "file", "x.xlsx", b"hello").await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("不是有效的 Excel"));
    }
);

both_backends!(
    async fn deputies_import_with_residence_and_round_trip(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        c.get("/import/stations").await;
        let st = xlsx(&[STATION_HEAD, &["恰卜恰镇人大代表之家", "代表之家", "632521100", "每月5日", "", "", ""]]);
        assert_eq!(c.post_file("/import/stations?wait=30000", "file", "s.xlsx", &st).await.status.as_u16(), 200);
        let head: &[&str] = &["姓名*", "性别*", "民族", "出生年份", "政治面貌", "联系电话", "代表层级*", "选举产生的人大代码*", "届次*", "选区", "选区所在行政区代码*", "进驻站点"];
        let rows: &[&[&str]] = &[
            head,
            &["卓玛", "女", "藏", "1978", "中共党员", "13812345678", "县", "632521", "18", "第三选区", "632521100201", "恰卜恰镇人大代表之家"],
            &["卓玛", "女", "藏族", "1978", "中共党员", "", "乡镇人大代表", "632521100", "18", "第三选区", "632521100201", ""],
            &["马福海", "男", "回族", "1966", "群众", "13998765432", "县", "632521", "十八", "第一选区", "632521100", "没有这个站"],
        ];
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(rows)).await;
        assert_eq!(r.status.as_u16(), 422);
        let cells = r.html().texts("#import-errors tbody td");
        assert!(cells.chunks(3).any(|r| r[0] == "第 4 行" && r[1] == "届次"), "{cells:?}");
        // fix the term; the unknown station is only found while writing, and rolls everything back
        let rows2: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(|c| if *c == "十八" { "18" } else { *c }).collect()).collect();
        let rows2: Vec<&[&str]> = rows2.iter().map(|r| r.as_slice()).collect();
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(&rows2)).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("没有名为“没有这个站”的站点"));
        assert_eq!(c.get_json("/api/v1/me").await.status.as_u16(), 200);
        let list = c.get("/deputies").await.html();
        assert_eq!(list.count("#deputies tbody td a"), 0, "rolled back");
        // and the good file lands: one person with two mandates, resident at the home
        let rows3: Vec<Vec<&str>> = rows2.iter().map(|r| r.iter().map(|c| if *c == "没有这个站" { "" } else { *c }).collect()).collect();
        let rows3: Vec<&[&str]> = rows3.iter().map(|r| r.as_slice()).collect();
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(&rows3)).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 3 条，更新 0 条，未变化 0 条。", "{}", r.body);
        let r = c.post_file("/import/deputies?wait=30000", "file", "d.xlsx", &xlsx(&rows3)).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 0 条，更新 0 条，未变化 3 条。");
        // export (with phones, audited) and re-import: nothing changes
        let (_, exported) = c.get_bytes("/export/deputies.xlsx").await;
        let sheet = read(&exported);
        assert_eq!(sheet.len(), 4);
        assert!(sheet.iter().any(|r| r.contains(&"13812345678".to_owned()) && r.contains(&"恰卜恰镇人大代表之家".to_owned())));
        c.get("/import/deputies").await;
        let r = c.post_file("/import/deputies?wait=30000", "file", "e.xlsx", &exported).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 0 条，更新 0 条，未变化 3 条。", "{}", r.body);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let n = aud.get_json("/api/v1/audit?action=personal.export").await.json()["items"].as_array().unwrap().len();
        assert_eq!(n, 1);
    }
);

both_backends!(
    async fn units_import_and_export(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        c.get("/import/units").await;
        let rows: &[&[&str]] = &[&["单位名称*", "类别*", "所属行政区代码*", "联系电话"], &["共和县交通运输局", "政府部门", "632521", "0974-8512345"], &["恰卜恰镇人民政府", "乡镇人民政府", "632521100", ""]];
        let r = c.post_file("/import/units?wait=30000", "file", "u.xlsx", &xlsx(rows)).await;
        assert_eq!(r.html().text("#import-summary"), "导入完成：新增 2 条，更新 0 条，未变化 0 条。", "{}", r.body);
        let (_, exported) = c.get_bytes("/export/units.xlsx").await;
        assert_eq!(read(&exported).len(), 3);
        // a township clerk may not import; a deputy may not either
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        assert_eq!(d.get("/import/units").await.status.as_u16(), 403);
    }
);

both_backends!(
    async fn a_large_import_runs_as_a_job_with_progress(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        c.get("/import/units").await;
        let names: Vec<String> = (0..3000).map(|i| format!("共和县第{i}号测试单位")).collect();
        let mut rows: Vec<&[&str]> = vec![&["单位名称*", "类别*", "所属行政区代码*", "联系电话"]];
        let owned: Vec<[&str; 4]> = names.iter().map(|n| [n.as_str(), "政府部门", "632521", ""]).collect();
        rows.extend(owned.iter().map(|r| r.as_slice()));
        // not waiting: the answer is the job's page, which shows progress until the job ends
        let r = c.post_file("/import/units?wait=0", "file", "big.xlsx", &xlsx(&rows)).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let job = r.location().unwrap().to_owned();
        assert!(job.starts_with("/jobs/"), "{job}");
        let mut saw_progress = false;
        // a bounded wait: a job that never ends fails here with its last page, not by hanging the run
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
        let done = loop {
            let r = c.get(&job).await;
            assert!(
                std::time::Instant::now() < deadline,
                "the import job {job} did not finish within 180 s; last answer {}: {}",
                r.status.as_u16(),
                r.body
            );
            match r.status.as_u16() {
                202 => {
                    let doc = r.html();
                    assert!(doc.text("#job-progress").contains("导入任务"), "{}", r.body);
                    assert!(r.body.contains(r#"http-equiv="refresh""#));
                    saw_progress = true;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                200 => break r,
                s => panic!("unexpected {s}: {}", r.body),
            }
        };
        assert!(saw_progress, "the first look at a 3,000-row job finds it still running");
        assert_eq!(done.html().text("#import-summary"), "导入完成：新增 3000 条，更新 0 条，未变化 0 条。");
        // the result stays on the job's page; other accounts cannot see it
        assert_eq!(c.get(&job).await.status.as_u16(), 200);
        let mut other = app.client();
        other.login("town_clerk", PASSWORD).await;
        assert_eq!(other.get(&job).await.status.as_u16(), 404);
    }
);

both_backends!(
    async fn jobs_left_running_by_a_stopped_server_are_failed_at_start(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let account = app.db.store.login_record("county_clerk").await.unwrap().unwrap().id;
        let id = app.db.store.start_job("import.units", account, "").await.unwrap();
        assert_eq!(liaison_web::job::fail_interrupted(&app.db.store).await.unwrap(), 1);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        let r = c.get(&format!("/jobs/{id}")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("服务器在处理过程中重新启动"), "{}", r.body);
        assert!(r.body.contains("本次没有写入任何数据"), "an import says it wrote nothing: {}", r.body);
    }
);
