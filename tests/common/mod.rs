//! Shared test helpers: the bundled atlas, loaded once per test binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use integrationsatlas::Atlas;

/// The binary under test; `INTEGRATIONSATLAS_TEST_BIN` may name another build of it (for a
/// target folder shared by several checkouts).
pub fn bin() -> std::ffi::OsString {
    std::env::var_os("INTEGRATIONSATLAS_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_integrationsatlas").into())
}

/// The bundled data folder of this repository.
pub fn bundled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

/// The atlas of the bundled data, loaded once.
pub fn atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| {
            Arc::new(
                integrationsatlas::data::load_atlas(&bundled_dir()).expect("bundled data loads"),
            )
        })
        .clone()
}

/// A copy of the bundled data folder in a temporary directory, to break on purpose.
pub fn copy_of_bundled() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(&bundled_dir(), temp.path());
    temp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}
