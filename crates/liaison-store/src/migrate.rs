//! Forward-only migrations (same file names for both backends) and the region data load.

use sqlx::QueryBuilder;

use crate::db::Pool;
use crate::{Result, Store, StoreError};

static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

const REGIONS_COUNTRY: &str = include_str!("../data/regions/cn-regions-to-township-2023.csv");
const REGIONS_VILLAGES: &str = include_str!("../data/regions/seed-counties-to-village-2023.csv");
/// Bumped when the shipped region files change; the loader runs once per version.
const REGIONS_VERSION: &str = "nbs-2023";

struct RegionRow<'a> {
    code: String,
    name: &'a str,
    level: &'a str,
    parent: Option<String>,
    kind: &'static str,
}

fn pad(short: &str) -> String {
    format!("{short:0<12}")
}

/// Parses the shipped CSV (`code,name,level,parent_code`; no quoting in this data).
fn parse_regions(csv: &str) -> Result<Vec<RegionRow<'_>>> {
    let mut out = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        let [code, name, level, parent] = f[..] else {
            return Err(StoreError::Corrupt(format!("region line {}", i + 1)));
        };
        // A row that pads to its parent's 12-digit code is the parent again: the county rows the source adds
        // for 441900 东莞, 442000 中山, 460400 儋州 (NBS hangs their townships directly on the city) and the
        // township row 350527000 金门县. The parent row stands for both.
        if !parent.is_empty() && pad(code) == pad(parent) {
            continue;
        }
        let kind = match level {
            "city"
                if matches!(
                    name,
                    "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
                ) =>
            {
                "placeholder"
            }
            "township" if code.len() == 9 && ("400".."600").contains(&&code[6..9]) => "non_admin",
            _ => "regular",
        };
        out.push(RegionRow {
            code: pad(code),
            name,
            level,
            parent: (!parent.is_empty()).then(|| pad(parent)),
            kind,
        });
    }
    Ok(out)
}

impl Store {
    /// Applies pending migrations, then loads the shipped region data if this version is not loaded yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.write {
            Pool::Sqlite(p) => SQLITE.run(p).await?,
            Pool::Postgres(p) => POSTGRES.run(p).await?,
        }
        self.load_regions().await?;
        if let Pool::Sqlite(p) = &self.write {
            // statistics for the planner where they are missing or stale (cheap when they are not)
            sqlx::query("PRAGMA optimize").execute(p).await?;
        }
        Ok(())
    }

    /// Names of the migrations this binary carries, per backend (for the in-step test).
    pub fn migration_names() -> (Vec<String>, Vec<String>) {
        let names = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|x| format!("{}_{}", x.version, x.description))
                .collect()
        };
        (names(&SQLITE), names(&POSTGRES))
    }

    async fn load_regions(&self) -> Result<()> {
        if self.setting_raw("regions_version").await?.as_deref() == Some(REGIONS_VERSION) {
            return Ok(());
        }
        let mut rows = parse_regions(REGIONS_COUNTRY)?;
        rows.extend(parse_regions(REGIONS_VILLAGES)?);
        let mut tx = self.begin().await?;
        // 1,000 rows x 5 parameters stays under both backends' parameter limits.
        for chunk in rows.chunks(1000) {
            with_tx!(&mut tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO region (code, name, level, parent_code, kind) ");
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(r.code.clone())
                        .push_bind(r.name)
                        .push_bind(r.level)
                        .push_bind(r.parent.clone())
                        .push_bind(r.kind);
                });
                qb.push(" ON CONFLICT (code) DO NOTHING");
                qb.build().execute(c).await?;
            });
        }
        self.set_setting_raw(&mut tx, "regions_version", REGIONS_VERSION)
            .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_with_quirks_marked() {
        let rows = parse_regions(REGIONS_COUNTRY).unwrap();
        assert_eq!(
            rows.len(),
            44_703 - 4,
            "four parent-equal rows are folded into their parent"
        );
        assert!(
            !rows
                .iter()
                .any(|r| r.level == "county" && r.code == "441900000000")
        );
        assert!(
            rows.iter().any(|r| r.code == "620201000000"),
            "嘉峪关市 county row is distinct and kept"
        );
        let placeholder = rows.iter().find(|r| r.code == "110100000000").unwrap();
        assert_eq!((placeholder.name, placeholder.kind), ("市辖区", "placeholder"));
        let farm = rows.iter().find(|r| r.code == "632521402000").unwrap();
        assert_eq!(farm.kind, "non_admin");
        assert!(rows.iter().all(|r| r.code.len() == 12));
        let villages = parse_regions(REGIONS_VILLAGES).unwrap();
        assert_eq!(villages.iter().filter(|r| r.level == "village").count(), 1_214);
    }
}
