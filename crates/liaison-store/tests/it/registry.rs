//! The registry at the store: stations, deputies, units, QR codes; scope and natural keys.

use chrono::NaiveDate;
use liaison_domain::RegionCode;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::registry::station::StationKind;
use liaison_store::page::Key;
use liaison_store::registry::deputy::{DeputyFilter, DeputyInput};
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::{StationFilter, StationInput};
use liaison_store::registry::unit::UnitInput;
use liaison_store::{Actor, StoreError};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::cast;

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

pub fn station(name: &str, region: &str) -> StationInput {
    StationInput {
        region: Some(rc(region)),
        kind: Some(StationKind::Room),
        name: name.into(),
        address: "恰卜恰镇团结路 1 号".into(),
        open_hours: "工作日 9:00-17:00".into(),
        reception_rule: "每月10日".into(),
        manager_phone: "13912345678".into(),
        ..Default::default()
    }
}

pub fn deputy(name: &str, level: DeputyLevel, congress: &str, region: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: Some(Gender::Female),
        ethnicity: "藏族".into(),
        birth_year: Some(1978),
        party: "中共党员".into(),
        occupation: "村党支部书记".into(),
        employer: "东香卡村".into(),
        phone: "13812345678".into(),
        level: Some(level),
        congress_region: Some(rc(congress)),
        term: Some(18),
        constituency: "第三选区".into(),
        constituency_region: Some(rc(region)),
        deputy_group: "恰卜恰镇代表小组".into(),
        expert_group: String::new(),
    }
}

both_backends!(
    async fn stations_are_scoped_and_keyed_by_region_and_name(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let town = db.scope_of(c.id("town_clerk")).await.unwrap();
        let other = db.scope_of(c.id("other_town_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let (id, created) = db.upsert_station(&county, &a, &station("东香卡村代表联络室", "632521100201")).await.unwrap();
        assert!(created);
        // the same row again changes nothing
        assert_eq!(db.upsert_station(&county, &a, &station("东香卡村代表联络室", "632521100201")).await.unwrap(), (id, false));
        // a township clerk sees it; the neighbouring township's does not, even by id
        assert_eq!(db.station(&town, id).await.unwrap().name, "东香卡村代表联络室");
        assert!(matches!(db.station(&other, id).await, Err(StoreError::OutOfScope)));
        assert!(db.stations(&other, &StationFilter::default(), None, 100).await.unwrap().is_empty());
        // nor may it write there
        let r = db.create_station(&other, &Actor::of(&other, "-"), &station("越界站", "632521100201")).await;
        assert!(matches!(r, Err(StoreError::OutOfScope)));
        // filters
        let f = StationFilter { kind: Some(StationKind::Home), ..Default::default() };
        assert!(db.stations(&county, &f, None, 100).await.unwrap().is_empty());
        let f = StationFilter { q: Some("东香".into()), open: Some(true), ..Default::default() };
        assert_eq!(db.stations(&county, &f, None, 100).await.unwrap().len(), 1);
        // closing keeps it, marked
        db.close_station(&county, &a, id, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "并入镇代表之家").await.unwrap();
        let f = StationFilter { open: Some(false), ..Default::default() };
        assert_eq!(db.stations(&county, &f, None, 100).await.unwrap()[0].closed_reason, "并入镇代表之家");
        // a filter region outside the scope is refused
        let f = StationFilter { region: Some(rc("632521101")), ..Default::default() };
        assert!(matches!(db.stations(&town, &f, None, 10).await, Err(StoreError::OutOfScope)));
    }
);

both_backends!(
    async fn one_person_two_mandates_and_contact_reads_are_audited(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let (m1, created) = db.upsert_deputy(&county, &a, &deputy("卓玛", DeputyLevel::County, "632521", "632521100201")).await.unwrap();
        assert!(created);
        let (m2, _) = db.upsert_deputy(&county, &a, &deputy("卓玛", DeputyLevel::Township, "632521100", "632521100201")).await.unwrap();
        assert_ne!(m1, m2);
        let d1 = db.deputy(&county, m1).await.unwrap();
        let d2 = db.deputy(&county, m2).await.unwrap();
        assert_eq!(d1.person_id, d2.person_id, "one person, two mandates");
        // re-import: nothing new
        assert_eq!(db.upsert_deputy(&county, &a, &deputy("卓玛", DeputyLevel::County, "632521", "632521100201")).await.unwrap(), (m1, false));
        // filters
        let f = DeputyFilter { level: Some(DeputyLevel::Township), ..Default::default() };
        assert_eq!(db.deputies(&county, &f, None, 10).await.unwrap().len(), 1);
        let f = DeputyFilter { q: Some("卓".into()), term: Some(18), in_office: Some(true), ..Default::default() };
        assert_eq!(db.deputies(&county, &f, None, 10).await.unwrap().len(), 2);
        // the deputy's phone: only through the audited read, only for roles that need it
        let deputy_role = db.scope_of(c.id("deputy")).await.unwrap();
        assert!(matches!(db.deputy_contact(&deputy_role, &Actor::of(&deputy_role, "-"), m1).await, Err(StoreError::Forbidden)));
        assert_eq!(db.deputy_contact(&county, &a, m1).await.unwrap(), "13812345678");
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        let f = liaison_store::audit::AuditFilter { action: Some("personal.read".into()), ..Default::default() };
        assert_eq!(db.audit_list(&auditor, &f, 10).await.unwrap().len(), 1);
        // out of scope
        let other = db.scope_of(c.id("other_town_clerk")).await.unwrap();
        assert!(matches!(db.deputy(&other, m1).await, Err(StoreError::OutOfScope)));
        // invalid input is named field by field
        let mut bad = deputy("", DeputyLevel::County, "632521", "520112");
        bad.term = Some(99);
        bad.gender = None;
        let fields: Vec<_> = bad.validate().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "gender", "term", "constituency_region"]);
    }
);

both_backends!(
    async fn qr_codes_resolve_and_retire_when_the_deputy_leaves(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let (m, _) = db.upsert_deputy(&county, &a, &deputy("才让", DeputyLevel::County, "632521", "632521100201")).await.unwrap();
        let person = db.deputy(&county, m).await.unwrap().person_id;
        let code = db.qr_code_for(QrTarget::Deputy(person)).await.unwrap();
        assert_eq!(db.qr_code_for(QrTarget::Deputy(person)).await.unwrap(), code, "stable while live");
        let row = db.resolve_qr(&code).await.unwrap().unwrap();
        assert_eq!(row.target(), Some(QrTarget::Deputy(person)));
        assert!(row.revoked_at.is_none());
        db.leave_office(&county, &a, m, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), "工作调动").await.unwrap();
        let row = db.resolve_qr(&code).await.unwrap().unwrap();
        assert_eq!(row.revoked_reason, "left_office");
        assert!(db.resolve_qr("XXXXXXXXXX").await.unwrap().is_none());
    }
);

both_backends!(
    async fn residents_and_units(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let sid = db.create_station(&county, &a, &station("恰卜恰镇代表之家", "632521100")).await.unwrap();
        let (m, _) = db.upsert_deputy(&county, &a, &deputy("马玉兰", DeputyLevel::City, "6325", "632521100")).await.unwrap();
        db.add_resident(&county, &a, sid, m).await.unwrap();
        db.add_resident(&county, &a, sid, m).await.unwrap();
        assert_eq!(db.residents(sid).await.unwrap().len(), 1);
        assert_eq!(db.station(&county, sid).await.unwrap().resident_count, 1);
        let u = UnitInput { region: rc("632521"), name: "共和县交通运输局".into(), kind: "department".into(), phone: "0974-8512345".into() };
        let (uid, created) = db.upsert_unit(&county, &a, &u).await.unwrap();
        assert!(created);
        assert_eq!(db.upsert_unit(&county, &a, &u).await.unwrap(), (uid, false));
        assert_eq!(db.units(&county, Some("交通"), None, 10).await.unwrap().len(), 1);
        let sysadmin = db.scope_of(c.id("sysadmin")).await.unwrap();
        assert!(matches!(db.upsert_unit(&sysadmin, &a, &u).await, Err(StoreError::Forbidden)), "三员 do not keep the registry");
    }
);

both_backends!(
    async fn namesakes_in_different_counties_stay_two_people(db) {
        cast(&db).await;
        // a province-level clerk (constructed directly: the scope is a plain value)
        let province = liaison_domain::Scope {
            account_id: 1,
            username: "shengrenda".into(),
            roles: vec![liaison_domain::Role::CommitteeStaff],
            region: rc("63"),
            unit_id: None,
            station_id: None, person_id: None,
        };
        let a = Actor::of(&province, "-");
        let (m1, _) = db.upsert_deputy(&province, &a, &deputy("王芳", DeputyLevel::County, "632521", "632521100201")).await.unwrap();
        let (m2, _) = db.upsert_deputy(&province, &a, &deputy("王芳", DeputyLevel::County, "632522", "632522100")).await.unwrap();
        let (m3, _) = db.upsert_deputy(&province, &a, &deputy("王芳", DeputyLevel::Township, "632521100", "632521100")).await.unwrap();
        let p1 = db.deputy(&province, m1).await.unwrap().person_id;
        let p2 = db.deputy(&province, m2).await.unwrap().person_id;
        let p3 = db.deputy(&province, m3).await.unwrap().person_id;
        assert_ne!(p1, p2, "different counties: two people");
        assert_eq!(p1, p3, "same county: one person, two mandates");
    }
);

both_backends!(
    async fn lists_page_by_region_then_id(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        // created out of region order
        for (name, region) in [("乙站", "632521100202"), ("甲站", "632521100201"), ("丙站", "632521101")] {
            db.create_station(&county, &a, &station(name, region)).await.unwrap();
        }
        let f = StationFilter::default();
        let first = db.stations(&county, &f, None, 2).await.unwrap();
        assert_eq!(first.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["甲站", "乙站"]);
        let last = first.last().unwrap();
        let cursor = liaison_store::Cursor::new(&last.region_code, last.id);
        assert_eq!(liaison_store::Cursor::parse(&cursor.to_string()), Some(cursor.clone()));
        let next = db.stations(&county, &f, Some(&cursor), 2).await.unwrap();
        assert_eq!(next.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["丙站"]);
        assert!(liaison_store::Cursor::parse("x.1").is_none());
        // a name prefix search on deputies
        for (n, r) in [("王芳", "632521100201"), ("王强", "632521100202"), ("李明", "632521100201")] {
            db.upsert_deputy(&county, &a, &deputy(n, DeputyLevel::Township, "632521100", r)).await.unwrap();
        }
        let f = DeputyFilter { q: Some("王".into()), ..Default::default() };
        let names: Vec<String> = db.deputies(&county, &f, None, 10).await.unwrap().into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["王芳", "王强"]);
        db.analyze().await.unwrap();
    }
);

/// Binds the fixture `deputy` account to a person (as an administrator would).
async fn bind_deputy(db: &liaison_store::Store, c: &liaison_testkit::fixtures::Cast, person: i64) {
    let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
    let acc = db.account(&admin, c.id("deputy")).await.unwrap();
    let ch = liaison_store::account::AccountChange {
        display_name: acc.display_name.clone(),
        region: rc(&acc.region_code),
        roles: acc.roles.clone(),
        unit_id: None,
        station_id: None,
        person_id: Some(person),
    };
    db.update_account(&admin, &Actor::of(&admin, "-"), c.id("deputy"), ch)
        .await
        .unwrap();
    // the binding gives the account citizens' data to read: it waits for the security administrator
    liaison_testkit::fixtures::grant(db, c.id("deputy")).await;
}

both_backends!(
    async fn every_household_write_goes_through_one_scoped_check(db) {
        use liaison_domain::registry::household::HouseholdKind;
        use liaison_store::registry::household::{HouseholdDetail, HouseholdInput};
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let (m1, _) = db.upsert_deputy(&county, &a, &deputy("拉毛", DeputyLevel::County, "632521", "632521100201")).await.unwrap();
        let (m2, _) = db.upsert_deputy(&county, &a, &deputy("才让", DeputyLevel::County, "632521", "632521100201")).await.unwrap();
        let p1 = db.deputy(&county, m1).await.unwrap().person_id;
        let p2 = db.deputy(&county, m2).await.unwrap().person_id;
        bind_deputy(&db, &c, p1).await;
        let household = |name: &str, region: &str| HouseholdInput {
            kind: HouseholdKind::Needy,
            name: name.into(),
            phone: "13611112222".into(),
            region: rc(region),
            address: "东香卡村 3 号".into(),
        };
        // linking: the county anywhere; the township only inside it; a deputy not at all
        let away = db.add_household(&county, &a, p1, &household("马成贵", "632521101201")).await.unwrap();
        let theirs = db.add_household(&county, &a, p2, &household("韩有德", "632521100201")).await.unwrap();
        let town = db.scope_of(c.id("town_clerk")).await.unwrap();
        let r = db.add_household(&town, &Actor::of(&town, "-"), p1, &household("x", "632521101201")).await;
        assert!(matches!(r, Err(StoreError::OutOfScope)), "{r:?}");
        let dep = db.scope_of(c.id("deputy")).await.unwrap();
        let dep_actor = Actor::of(&dep, "-");
        let r = db.add_household(&dep, &dep_actor, p1, &household("x", "632521100201")).await;
        assert!(matches!(r, Err(StoreError::Forbidden)), "{r:?}");
        // meetings: the deputy on their own, wherever it lives; not on another deputy's, whatever the path
        let on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        db.log_household_meeting(&dep, &dep_actor, p1, away, on, "走访").await.unwrap();
        let r = db.log_household_meeting(&dep, &dep_actor, p2, theirs, on, "代记").await;
        assert!(matches!(r, Err(StoreError::Forbidden)), "{r:?}");
        let r = db.log_household_meeting(&dep, &dep_actor, p1, theirs, on, "代记").await;
        assert!(matches!(r, Err(StoreError::NotFound)), "another's household named as one's own: {r:?}");
        // the township clerk: not on a household that lives in the next township
        let r = db.log_household_meeting(&town, &Actor::of(&town, "-"), p1, away, on, "走访").await;
        assert!(matches!(r, Err(StoreError::OutOfScope)), "{r:?}");
        db.log_household_meeting(&town, &Actor::of(&town, "-"), p2, theirs, on, "走访").await.unwrap();
        // reads: names for those who may (audited), masked for the rest; phones only on the contact read
        let unit = db.scope_of(c.id("unit")).await.unwrap();
        let seen = db.households(&unit, &Actor::of(&unit, "-"), p1, HouseholdDetail::List).await.unwrap();
        assert_eq!((seen[0].shown_name.as_str(), seen[0].shown_phone.as_str(), seen[0].shown_address.as_str()), ("马**", "136****2222", ""));
        assert!(matches!(db.households(&unit, &Actor::of(&unit, "-"), p1, HouseholdDetail::Contact).await, Err(StoreError::Forbidden)));
        let seen = db.households(&dep, &dep_actor, p1, HouseholdDetail::Contact).await.unwrap();
        assert_eq!((seen[0].shown_name.as_str(), seen[0].shown_phone.as_str()), ("马成贵", "13611112222"));
        let seen = db.households(&town, &Actor::of(&town, "-"), p1, HouseholdDetail::List).await.unwrap();
        assert_eq!(seen[0].shown_name, "马**", "the township clerk does not read the next township's household");
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        let f = liaison_store::audit::AuditFilter { action: Some("personal.read".into()), ..Default::default() };
        let reads = db.audit_list(&auditor, &f, 10).await.unwrap();
        assert_eq!(reads.len(), 1, "only the deputy's read touched a name in full");
    }
);

both_backends!(
    async fn public_numbers_come_from_the_registry_and_the_staff_list(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        assert!(db.public_phones().await.unwrap().is_empty());
        let unit = UnitInput { region: rc("632521100"), name: "恰卜恰镇人民政府".into(), kind: "township_government".into(), phone: "0974-8512345".into() };
        db.upsert_unit(&county, &a, &unit).await.unwrap();
        let st = StationInput { phone: "0974-8510000".into(), ..station("东香卡村代表联络室", "632521100201") };
        db.create_station(&county, &a, &st).await.unwrap();
        let id = db.add_public_phone(&county, &a, &rc("632521"), "12345 678 90", "县信访局").await.unwrap();
        let public = db.public_phones().await.unwrap();
        for n in ["09748512345", "09748510000", "1234567890"] {
            assert!(public.contains(n), "{n}");
        }
        assert!(!public.contains("13912345678"), "a station manager's phone is not public");
        let town = db.scope_of(c.id("town_clerk")).await.unwrap();
        assert!(matches!(db.remove_public_phone(&town, &Actor::of(&town, "-"), id).await, Err(StoreError::NotFound)));
        assert!(matches!(db.add_public_phone(&town, &Actor::of(&town, "-"), &rc("632521"), "0974-8519999", "x").await, Err(StoreError::OutOfScope)));
        db.remove_public_phone(&county, &a, id).await.unwrap();
        assert!(!db.public_phones().await.unwrap().contains("1234567890"));
    }
);
