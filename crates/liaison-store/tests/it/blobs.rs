//! The file store and its orphan sweep: a file no row refers to is removed once it is old; a file a
//! row refers to, a fresh one, and one stored again while old are kept.

use std::time::{Duration, SystemTime};

use liaison_store::blob::Blobs;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::cast;

fn age(blobs_dir: &std::path::Path, hash: &str, by: Duration) {
    let path = blobs_dir
        .join("files")
        .join(&hash[..2])
        .join(&hash[2..4])
        .join(hash);
    let f = std::fs::File::options().append(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - by).unwrap();
}

fn exists(blobs_dir: &std::path::Path, hash: &str) -> bool {
    blobs_dir
        .join("files")
        .join(&hash[..2])
        .join(&hash[2..4])
        .join(hash)
        .exists()
}

both_backends!(
    async fn the_orphan_sweep_removes_only_old_unreferenced_files(db) {
        let c = cast(&db).await;
        let dir = std::env::temp_dir().join(format!("liaison-sweep-{}", liaison_domain::token::random_token()));
        let blobs = Blobs::new(&dir);
        let hour = Duration::from_secs(3600);
        // a file a row refers to (an import's upload), an orphan, a fresh orphan, an orphan stored again
        let kept = blobs.put(b"an import that ran".to_vec()).await.unwrap();
        db.start_job("import.stations", c.id("county_clerk"), &kept).await.unwrap();
        let orphan = blobs.put(b"photo of a refused submission".to_vec()).await.unwrap();
        let fresh = blobs.put(b"photo whose row is being written".to_vec()).await.unwrap();
        let again = blobs.put(b"the same photo, sent again".to_vec()).await.unwrap();
        for h in [&kept, &orphan, &again] {
            age(&dir, h, 2 * hour);
        }
        assert_eq!(blobs.put(b"the same photo, sent again".to_vec()).await.unwrap(), again);
        let removed = db.sweep_orphan_files(&blobs, hour).await.unwrap();
        assert_eq!(removed, 1);
        assert!(!exists(&dir, &orphan), "old and referred to by no row");
        assert!(exists(&dir, &kept), "a row refers to it");
        assert!(exists(&dir, &fresh), "younger than the age");
        assert!(exists(&dir, &again), "stored again: a row is about to refer to it");
        assert_eq!(blobs.get(&kept).await.unwrap().unwrap(), b"an import that ran");
        // a second sweep finds nothing more
        assert_eq!(db.sweep_orphan_files(&blobs, hour).await.unwrap(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }
);
