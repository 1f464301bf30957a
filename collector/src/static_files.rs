//! The built app's files (`--static dist`): each sent as its brotli or gzip copy
//! (`x.br`, `x.gz` beside `x`, written by `scripts/compress.mjs`) to browsers that take
//! one, unless the copy is older than its file; the page in place of any address that is
//! not a file. Caching headers are set with the others, in [`crate::routes`].

use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use tower_http::services::fs::{Backend, TokioBackend, TokioFile};
use tower_http::services::ServeDir;

/// `app` with the files in `dir` served at `/` for every address it does not answer.
pub(crate) fn serve(app: Router, dir: &Path) -> Router {
    let files = ServeDir::with_backend(dir, FreshCopies).precompressed_br().precompressed_gzip();
    let pages = files.clone();
    // The page stands in for any address that is not a file, and is always checked for
    // changes (it says so itself, so a missing script is never kept as that script).
    let page = move |mut req: Request| {
        let mut pages = pages.clone();
        async move {
            *req.uri_mut() = Uri::from_static("/index.html");
            let mut res = match pages.try_call(req).await {
                Ok(res) => res.into_response(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => StatusCode::NOT_FOUND.into_response(),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            };
            res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
    };
    app.fallback_service(files.fallback(page.into_service()))
}

/// Files from disk, except that a compressed copy older than its file is not found, so
/// the file itself is sent: `config.json` or a form edited on the server after the build
/// (as the README allows) reaches browsers as edited, not as the build's copy of it.
#[derive(Clone, Copy, Debug)]
struct FreshCopies;

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Backend for FreshCopies {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<TokioFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        Box::pin(async move {
            refuse_stale_copy(&path).await?;
            TokioBackend.open(path).await
        })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        Box::pin(async move {
            refuse_stale_copy(&path).await?;
            TokioBackend.metadata(path).await
        })
    }
}

/// `NotFound` when `path` is a copy (`.br`, `.gz`) modified before the file it is a copy of.
async fn refuse_stale_copy(path: &Path) -> io::Result<()> {
    let Some(file) = copy_of(path) else {
        return Ok(());
    };
    let copy = tokio::fs::metadata(path).await?;
    let stale = match tokio::fs::metadata(&file).await {
        Ok(file) => copy.modified()? < file.modified()?,
        Err(_) => false, // no file beside it to be newer than it
    };
    if stale {
        return Err(io::ErrorKind::NotFound.into());
    }
    Ok(())
}

/// `x` for `x.br` or `x.gz`.
fn copy_of(path: &Path) -> Option<PathBuf> {
    let ext = path.extension()?;
    (ext == "br" || ext == "gz").then(|| path.with_extension(""))
}

/// The compressed copies under `dir` that are older than their files (and so are not sent),
/// to tell whoever starts the server.
pub(crate) fn stale_copies(dir: &Path) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            // Links are not followed into, so a link to a folder above cannot make this endless.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(path);
            } else if let Some(file) = copy_of(&path) {
                let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
                if let (Some(copy), Some(file)) = (modified(&path), modified(&file)) {
                    if copy < file {
                        stale.push(path);
                    }
                }
            }
        }
    }
    stale.sort();
    stale
}
