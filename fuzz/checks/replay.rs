//! Replaying a corpus on stable (the tests in `model/tests/fuzz_corpora.rs`, `collector/tests/fuzz_corpora.rs`).

use std::path::Path;

/// Every file of `fuzz/corpus/{target}/` through `check`; fails naming each file whose check panicked,
/// and if the corpus is missing or nearly empty (a test with nothing to replay would pass on nothing).
pub fn corpus(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} could not be read: {e}", dir.display()))
        .map(|e| e.expect("a corpus file").path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the corpus {} has only {} files", dir.display(), files.len());
    let failed: Vec<String> = files
        .iter()
        .filter(|f| {
            let data = std::fs::read(f).unwrap_or_else(|e| panic!("{} could not be read: {e}", f.display()));
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{} of {} inputs failed their check: {}", failed.len(), files.len(), failed.join(", "));
    println!("{target}: {} inputs replayed", files.len());
}
