//! The region tree. Region names and codes are published official data, readable by anyone: these reads
//! take a root code rather than a `Scope`; staff pages check `Scope::covers` before showing a subtree.

use liaison_domain::region::short_name;
use liaison_domain::{RegionCode, RegionLevel};
use serde::Serialize;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub kind: String,
}

impl Region {
    /// `XX村民委员会` → `XX村`; others unchanged.
    pub fn short_name(&self) -> String {
        short_name(&self.name)
    }

    pub fn level(&self) -> Option<RegionLevel> {
        RegionLevel::parse(&self.level)
    }

    pub fn is_placeholder(&self) -> bool {
        self.kind == "placeholder"
    }

    /// The NBS short code (2/4/6/9/12 digits).
    pub fn short_code(&self) -> String {
        RegionCode::parse(&self.code)
            .map(|c| c.short().to_owned())
            .unwrap_or_else(|_| self.code.clone())
    }
}

impl Store {
    pub async fn region(&self, code: &RegionCode) -> Result<Option<Region>> {
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Region>("SELECT code, name, level, parent_code, kind FROM region WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(p)
                .await?
        });
        Ok(r)
    }

    /// Children in code order; `None` gives the provinces. Kept a minute (`reference`).
    pub async fn region_children(&self, code: Option<&RegionCode>) -> Result<Vec<Region>> {
        let key = format!("children:{}", code.map_or("", |c| c.as_str()));
        if let Some(r) = self.reference.regions.get(&key) {
            return Ok(r);
        }
        let r = with_pool!(&self.read, p => match code {
            Some(code) => sqlx::query_as::<_, Region>(
                "SELECT code, name, level, parent_code, kind FROM region WHERE parent_code = $1 ORDER BY code",
            )
            .bind(code.as_str())
            .fetch_all(p)
            .await?,
            None => sqlx::query_as::<_, Region>(
                "SELECT code, name, level, parent_code, kind FROM region WHERE parent_code IS NULL ORDER BY code",
            )
            .fetch_all(p)
            .await?,
        });
        self.reference.regions.put(&key, &r);
        Ok(r)
    }

    /// The chain from the province down to `code` (only rows that exist). Kept a minute (`reference`).
    pub async fn region_lineage(&self, code: &RegionCode) -> Result<Vec<Region>> {
        let key = format!("lineage:{}", code.as_str());
        if let Some(r) = self.reference.regions.get(&key) {
            return Ok(r);
        }
        let codes: Vec<String> = code.lineage().into_iter().map(String::from).collect();
        let at = |i: usize| codes.get(i).or(codes.last()).cloned().unwrap_or_default();
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Region>(
                "SELECT code, name, level, parent_code, kind FROM region \
                 WHERE code IN ($1, $2, $3, $4, $5) ORDER BY code",
            )
            .bind(at(0)).bind(at(1)).bind(at(2)).bind(at(3)).bind(at(4))
            .fetch_all(p)
            .await?
        });
        self.reference.regions.put(&key, &r);
        Ok(r)
    }

    /// Regions under `root` whose name contains `q`, shallow levels first.
    pub async fn region_search(&self, root: &RegionCode, q: &str, limit: i64) -> Result<Vec<Region>> {
        let (lo, hi) = root.subtree_range();
        let pattern = format!("%{}%", q.replace(['%', '_', '\\'], ""));
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Region>(
                "SELECT code, name, level, parent_code, kind FROM region \
                 WHERE code BETWEEN $1 AND $2 AND name LIKE $3 ORDER BY length(rtrim(code, '0')), code LIMIT $4",
            )
            .bind(lo).bind(hi).bind(pattern).bind(limit)
            .fetch_all(p)
            .await?
        });
        Ok(r)
    }

    /// Rows per level, for checks and the status page.
    pub async fn region_counts(&self) -> Result<Vec<(String, i64)>> {
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, (String, i64)>("SELECT level, COUNT(*) FROM region GROUP BY level ORDER BY 2")
                .fetch_all(p)
                .await?
        });
        Ok(r)
    }
}
