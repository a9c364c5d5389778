//! Files (photos, evidence, exports) in the data folder, content-addressed by SHA-256. A write is
//! durable before it is acknowledged: temp file -> fsync -> rename -> fsync the directory. The database
//! row that refers to a file is written only after `put` returns.
//!
//! A file may be written and its row never be (a submission refused by the rate limit in its
//! transaction, a crash between the two). `Store::sweep_orphan_files` removes files that no row refers
//! to once they are older than `ORPHAN_AGE`. The same content is one file shared by every row that
//! refers to it, so a file still referred to is never removed, and `put` of content that is already
//! there touches the file, so a sweep never removes a file that a row is about to refer to.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::{Result, Store};

/// How old an unreferenced file must be before the sweep removes it: far longer than any request
/// takes between storing a file and committing the row that refers to it.
pub const ORPHAN_AGE: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
}

fn valid(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

impl Blobs {
    /// Files live in `<data_dir>/files/ab/cd/<sha256>`.
    pub fn new(data_dir: &Path) -> Blobs {
        Blobs {
            root: data_dir.join("files"),
        }
    }

    fn path(&self, hash: &str) -> PathBuf {
        self.root.join(&hash[..2]).join(&hash[2..4]).join(hash)
    }

    /// Stores the bytes (once: the same content is the same file) and returns their SHA-256.
    pub fn put_blocking(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = hex::encode(Sha256::digest(bytes));
        let path = self.path(&hash);
        // already there: mark it as wanted now (a sweep only removes files untouched for an hour)
        match std::fs::File::options().append(true).open(&path) {
            Ok(f) => {
                f.set_modified(SystemTime::now())?;
                return Ok(hash);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("no parent"))?
            .to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let tmp_dir = self.root.join("tmp");
        std::fs::create_dir_all(&tmp_dir)?;
        // unique per write: the same content may be stored by two requests at once
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = tmp_dir.join(format!("{hash}.{}.{n}", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        sync_dir(&dir)?;
        Ok(hash)
    }

    pub fn get_blocking(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>> {
        if !valid(hash) {
            return Ok(None);
        }
        match std::fs::read(self.path(hash)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn put(&self, bytes: impl AsRef<[u8]> + Send + 'static) -> std::io::Result<String> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.put_blocking(bytes.as_ref()))
            .await
            .map_err(std::io::Error::other)?
    }

    pub async fn get(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>> {
        let (me, hash) = (self.clone(), hash.to_owned());
        tokio::task::spawn_blocking(move || me.get_blocking(&hash))
            .await
            .map_err(std::io::Error::other)?
    }

    /// The stored files (and leftover temp files) last touched before `cutoff`.
    fn untouched_since(&self, cutoff: SystemTime) -> std::io::Result<(Vec<String>, Vec<PathBuf>)> {
        let old = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < cutoff)
        };
        let dirs = |p: &Path| -> std::io::Result<Vec<PathBuf>> {
            match std::fs::read_dir(p) {
                Ok(rd) => Ok(rd.filter_map(|e| e.ok().map(|e| e.path())).collect()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(vec![]),
                Err(e) => Err(e),
            }
        };
        let (mut hashes, mut temps) = (Vec::new(), Vec::new());
        for a in dirs(&self.root)? {
            let name = a.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "tmp" {
                temps.extend(dirs(&a)?.into_iter().filter(|p| old(p)));
                continue;
            }
            if name.len() != 2 || !a.is_dir() {
                continue;
            }
            for b in dirs(&a)? {
                for f in dirs(&b)? {
                    let Some(hash) = f.file_name().and_then(|n| n.to_str()) else {
                        continue;
                    };
                    if valid(hash) && old(&f) {
                        hashes.push(hash.to_owned());
                    }
                }
            }
        }
        Ok((hashes, temps))
    }

    /// Removes the file of `hash` if it is still untouched since `cutoff`. It is moved aside first and
    /// looked at again there: a `put` of the same content before the move touched it (it is put back),
    /// one after the move finds no file and writes a new one.
    fn remove_untouched(&self, hash: &str, cutoff: SystemTime) -> std::io::Result<bool> {
        let path = self.path(hash);
        let tmp_dir = self.root.join("tmp");
        std::fs::create_dir_all(&tmp_dir)?;
        let aside = tmp_dir.join(format!("{hash}.sweep.{}", std::process::id()));
        match std::fs::rename(&path, &aside) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        }
        let touched = std::fs::metadata(&aside)?.modified()? >= cutoff;
        if touched {
            std::fs::rename(&aside, &path)?;
            return Ok(false);
        }
        std::fs::remove_file(&aside)?;
        Ok(true)
    }
}

fn file_store(e: impl std::fmt::Display) -> crate::StoreError {
    crate::StoreError::Corrupt(format!("file store: {e}"))
}

impl Store {
    /// Which of `hashes` a row refers to: opinion photos (hidden ones too), reply attachments, station files (removed ones
    /// too: they are kept in history), portraits, and import jobs' uploads.
    pub async fn referenced_blobs(&self, hashes: &[String]) -> Result<HashSet<String>> {
        let mut found = HashSet::new();
        for chunk in hashes.chunks(200) {
            let rows: Vec<(String,)> = with_pool!(&self.read, p => {
                let mut qb = sqlx::QueryBuilder::new("SELECT blob FROM opinion_photo WHERE blob IN (");
                let mut sep = qb.separated(", ");
                for h in chunk {
                    sep.push_bind(h.as_str());
                }
                qb.push(") UNION SELECT blob FROM station_file WHERE blob IN (");
                let mut sep = qb.separated(", ");
                for h in chunk {
                    sep.push_bind(h.as_str());
                }
                qb.push(") UNION SELECT photo FROM person WHERE photo IN (");
                let mut sep = qb.separated(", ");
                for h in chunk {
                    sep.push_bind(h.as_str());
                }
                qb.push(") UNION SELECT blob FROM opinion_attachment WHERE blob IN (");
                let mut sep = qb.separated(", ");
                for h in chunk {
                    sep.push_bind(h.as_str());
                }
                qb.push(") UNION SELECT input FROM job WHERE input IN (");
                let mut sep = qb.separated(", ");
                for h in chunk {
                    sep.push_bind(h.as_str());
                }
                qb.push(")");
                qb.build_query_as().fetch_all(p).await?
            });
            found.extend(rows.into_iter().map(|(h,)| h));
        }
        Ok(found)
    }

    /// Removes the files no row refers to that were last written or stored again more than `age`
    /// ago, and temp files left that long; returns how many files were removed.
    pub async fn sweep_orphan_files(&self, blobs: &Blobs, age: Duration) -> Result<usize> {
        let cutoff = SystemTime::now()
            .checked_sub(age)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let b = blobs.clone();
        let (hashes, temps) = tokio::task::spawn_blocking(move || b.untouched_since(cutoff))
            .await
            .map_err(file_store)?
            .map_err(file_store)?;
        let referenced = self.referenced_blobs(&hashes).await?;
        let orphans: Vec<String> = hashes.into_iter().filter(|h| !referenced.contains(h)).collect();
        let b = blobs.clone();
        let removed = tokio::task::spawn_blocking(move || -> std::io::Result<usize> {
            let mut n = 0;
            for h in &orphans {
                if b.remove_untouched(h, cutoff)? {
                    n += 1;
                }
            }
            for t in temps {
                if std::fs::remove_file(&t).is_ok() {
                    n += 1;
                }
            }
            Ok(n)
        })
        .await
        .map_err(file_store)?
        .map_err(file_store)?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_addressed_and_durable_layout() {
        let dir = std::env::temp_dir().join(format!("liaison-blobs-{}", std::process::id()));
        let b = Blobs::new(&dir);
        let h = b.put_blocking(b"photo bytes").unwrap();
        assert_eq!(h, hex::encode(Sha256::digest(b"photo bytes")));
        assert_eq!(
            b.put_blocking(b"photo bytes").unwrap(),
            h,
            "same content, same file"
        );
        assert_eq!(b.get_blocking(&h).unwrap().unwrap(), b"photo bytes");
        assert!(dir.join("files").join(&h[..2]).join(&h[2..4]).join(&h).exists());
        assert!(
            b.get_blocking("../../etc/passwd").unwrap().is_none(),
            "no path tricks"
        );
        assert!(b.get_blocking(&"0".repeat(64)).unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_same_content_stored_at_once_by_many() {
        let dir = std::env::temp_dir().join(format!("liaison-blobs-race-{}", std::process::id()));
        let b = Blobs::new(&dir);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let b = b.clone();
                std::thread::spawn(move || b.put_blocking(b"one photo, eight requests"))
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap().is_ok());
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
