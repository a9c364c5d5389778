//! Configuration: serde defaults <- optional `liaison.toml` <- `LIAISON_*` environment <- command line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Holds `liaison.db`, `files/`, `exports/`, `backups/`.
    pub data_dir: PathBuf,
    pub listen: String,
    /// Empty: the SQLite file in the data folder. `postgres://…` selects PostgreSQL.
    pub database_url: String,
    /// Cookies get `Secure` when true; unset: when `public_url` is https.
    pub secure_cookies: Option<bool>,
    /// Behind a proxy on this machine (nginx on loopback): believe the `X-Forwarded-For` entry it
    /// appends. For proxies elsewhere list them in `trusted_proxies` instead.
    pub trust_proxy: bool,
    /// The proxies whose `X-Forwarded-For` entries are believed, comma-separated addresses or
    /// networks (`10.0.0.5, 10.1.0.0/16`); the client is the rightmost address that is not one.
    pub trusted_proxies: String,
    /// The public address printed into QR codes; empty: the address the browser used.
    pub public_url: String,
    /// 码上办 submissions one address may make per hour (default 20; a reception hall behind one
    /// address, or a load test, may need more).
    pub intake_per_ip: i64,
    /// The SMS gateway (plain `http://`, e.g. the 政务短信 platform's intranet address or a local
    /// relay); empty: SMS notifications stay queued, unsent. The tracking link uses `public_url`.
    pub sms_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            listen: "127.0.0.1:8080".into(),
            database_url: String::new(),
            secure_cookies: None,
            trust_proxy: false,
            trusted_proxies: String::new(),
            public_url: String::new(),
            intake_per_ip: liaison_store::opinion::intake::PER_IP,
            sms_url: String::new(),
        }
    }
}

#[derive(Debug, Default, clap::Args)]
pub struct CliOverrides {
    /// Data folder (default ./data).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Database URL (default: SQLite in the data folder; postgres://… for PostgreSQL).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Parse(PathBuf, toml::de::Error),
    #[error("environment variable {0}: {1}")]
    Env(&'static str, String),
}

impl Config {
    pub fn load(file: Option<&Path>, cli: &CliOverrides) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        let path = file.map(Path::to_path_buf).or_else(|| {
            let p = PathBuf::from("liaison.toml");
            p.exists().then_some(p)
        });
        if let Some(p) = path {
            let text = std::fs::read_to_string(&p).map_err(|e| ConfigError::Read(p.clone(), e))?;
            c = toml::from_str(&text).map_err(|e| ConfigError::Parse(p.clone(), e))?;
        }
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("LIAISON_DATA_DIR") {
            c.data_dir = v.into();
        }
        if let Some(v) = env("LIAISON_LISTEN") {
            c.listen = v;
        }
        if let Some(v) = env("LIAISON_DATABASE_URL") {
            c.database_url = v;
        }
        if let Some(v) = env("LIAISON_SECURE_COOKIES") {
            c.secure_cookies = Some(parse_bool("LIAISON_SECURE_COOKIES", &v)?);
        }
        if let Some(v) = env("LIAISON_PUBLIC_URL") {
            c.public_url = v;
        }
        if let Some(v) = env("LIAISON_INTAKE_PER_IP") {
            c.intake_per_ip = v.parse().ok().filter(|n: &i64| *n > 0).ok_or_else(|| {
                ConfigError::Env(
                    "LIAISON_INTAKE_PER_IP",
                    format!("expected a positive integer, got {v}"),
                )
            })?;
        }
        if let Some(v) = env("LIAISON_SMS_URL") {
            c.sms_url = v;
        }
        if let Some(v) = env("LIAISON_TRUST_PROXY") {
            c.trust_proxy = parse_bool("LIAISON_TRUST_PROXY", &v)?;
        }
        if let Some(v) = env("LIAISON_TRUSTED_PROXIES") {
            c.trusted_proxies = v;
        }
        if let Some(v) = &cli.data_dir {
            c.data_dir = v.clone();
        }
        if let Some(v) = &cli.listen {
            c.listen = v.clone();
        }
        if let Some(v) = &cli.database_url {
            c.database_url = v.clone();
        }
        Ok(c)
    }

    /// The proxies to believe: the configured list, else loopback when `trust_proxy` is set, else none.
    pub fn proxies(&self) -> Result<liaison_web::TrustedProxies, ConfigError> {
        let list = liaison_web::TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| ConfigError::Env("LIAISON_TRUSTED_PROXIES", e))?;
        Ok(match (list.is_empty(), self.trust_proxy) {
            (false, _) => list,
            (true, true) => liaison_web::TrustedProxies::loopback(),
            (true, false) => list,
        })
    }

    /// The database URL in effect: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            self.data_dir.join("liaison.db").to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }

    pub fn to_toml_masked(&self) -> String {
        let mut c = self.clone();
        c.database_url = mask_url(&self.database_url());
        c.sms_url = mask_url(&self.sms_url);
        toml::to_string(&c).unwrap_or_default()
    }
}

fn parse_bool(name: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(ConfigError::Env(name, format!("expected true/false, got {v}"))),
    }
}

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
pub fn mask_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.split_once('@')
        && let Some((user, _)) = creds.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords() {
        assert_eq!(mask_url("postgres://u:pw@h:5432/d"), "postgres://u:***@h:5432/d");
        assert_eq!(mask_url("./data/liaison.db"), "./data/liaison.db");
    }

    #[test]
    fn defaults_need_nothing() {
        let c = Config::default();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert!(c.database_url().ends_with("liaison.db"));
    }
}
