//! Group commit: the submissions that arrive together are written by one writer thread
//! in one transaction, with one flush, and each is answered once that flush is done.
//!
//! A request hands its submission to the queue with a one-shot channel for the answer.
//! The writer takes the first waiting submission and everything already queued behind
//! it (up to [`MAX_BATCH`]), gives them to [`Store::insert_batch`], and answers each.
//! Nothing waits on a timer: one sender alone is written at once, as before, and the
//! busier the server, the more each flush carries. So the rate is no longer one
//! submission per flush of the disk.

use crate::store::{NewSubmission, Outcome, Store, StoreError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most submissions in one transaction. At about 1 KB each, a batch this big is
/// written in well under a millisecond; more would only lengthen the wait of the first.
pub const MAX_BATCH: usize = 256;
/// How many submissions may wait for the writer; past that, a request waits to queue.
const QUEUE: usize = 4 * MAX_BATCH;

type Reply = oneshot::Sender<Result<Outcome, StoreError>>;

/// The queue to the writer thread. Cloning it is cheap; the writer stops once every
/// clone is dropped and the queue is empty.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<(NewSubmission, Reply)>,
}

impl GroupCommit {
    /// Starts the writer thread for `store`.
    pub fn start(store: Arc<dyn Store>) -> std::io::Result<GroupCommit> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        std::thread::Builder::new().name("collector-writer".into()).spawn(move || write(&*store, jobs))?;
        Ok(GroupCommit { queue })
    }

    /// Stores `new` with whatever else is waiting, and returns its outcome once the
    /// transaction holding it is committed (see [`Store::insert_batch`]).
    pub async fn insert(&self, new: NewSubmission) -> Result<Outcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError("the writer has stopped".into());
        self.queue.send((new, reply)).await.map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(StoreError("the write was abandoned".into())))
    }
}

/// The writer thread: one batch at a time until the queue is closed and empty.
fn write(store: &dyn Store, mut jobs: mpsc::Receiver<(NewSubmission, Reply)>) {
    let mut taken = Vec::with_capacity(MAX_BATCH);
    // Waits for the first submission, then takes every one already queued, up to the cap.
    while jobs.blocking_recv_many(&mut taken, MAX_BATCH) > 0 {
        let (batch, replies): (Vec<NewSubmission>, Vec<Reply>) = taken.drain(..).unzip();
        // A panic in the store must not stop the writer: the batch's replies are dropped,
        // so each of its requests is answered as a failure to store, and the next batch goes on.
        if let Ok(results) = catch_unwind(AssertUnwindSafe(|| store.insert_batch(&batch))) {
            for (reply, result) in replies.into_iter().zip(results) {
                // The request may be gone (its sender disconnected); the row stays stored.
                let _ = reply.send(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Visit;
    use std::sync::{Condvar, Mutex};
    use std::time::{Duration, Instant};

    fn new(id: &str) -> NewSubmission {
        let payload = format!(
            r#"{{"schema_version":1,"submission_id":"{id}","form_id":"f","form_version":"1","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{{}}}}"#
        );
        let submission = serde_json::from_str(&payload).unwrap();
        NewSubmission::plain(&submission, payload, "2026-11-23T10:00:01.000Z".into())
    }

    /// A store that records each batch's ids, holds the first batch until let go,
    /// and panics on a batch holding the id "panic".
    #[derive(Default)]
    struct Recorder {
        batches: Mutex<Vec<Vec<String>>>,
        gate: Mutex<bool>,
        opened: Condvar,
    }

    impl Store for Recorder {
        fn insert_batch(&self, batch: &[NewSubmission]) -> Vec<Result<Outcome, StoreError>> {
            let ids: Vec<String> = batch.iter().map(|n| n.submission_id.clone()).collect();
            let first = {
                let mut batches = self.batches.lock().unwrap();
                batches.push(ids.clone());
                batches.len() == 1
            };
            if first {
                let open = self.gate.lock().unwrap();
                let _open = self.opened.wait_timeout_while(open, Duration::from_secs(20), |o| !*o).unwrap();
            }
            assert!(!ids.iter().any(|id| id == "panic"), "a broken store");
            ids.iter().map(|_| Ok(Outcome::Stored)).collect()
        }
        fn scan(&self, _: Option<&str>, _: usize, _: &mut Visit<'_>) -> Result<(), crate::Error> {
            Ok(())
        }
        fn form_ids(&self) -> Result<Vec<String>, StoreError> {
            Ok(vec![])
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_queues_behind_a_batch_is_written_as_the_next_batch() {
        let store = Arc::new(Recorder::default());
        let group = GroupCommit::start(store.clone()).unwrap();
        let first = tokio::spawn({
            let group = group.clone();
            async move { group.insert(new("a")).await }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while store.batches.lock().unwrap().is_empty() {
            assert!(Instant::now() < deadline, "the first batch never started");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // While the first batch is being written, ten more arrive and wait.
        let mut rest = tokio::task::JoinSet::new();
        for n in 0..10 {
            let group = group.clone();
            rest.spawn(async move { group.insert(new(&format!("b{n}"))).await });
        }
        while group.queue.max_capacity() - group.queue.capacity() < 10 {
            assert!(Instant::now() < deadline, "the ten never queued");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(!first.is_finished(), "no answer before the commit");
        *store.gate.lock().unwrap() = true;
        store.opened.notify_all();
        assert_eq!(first.await.unwrap(), Ok(Outcome::Stored));
        for result in rest.join_all().await {
            assert_eq!(result, Ok(Outcome::Stored));
        }
        let batches = store.batches.lock().unwrap().clone();
        assert_eq!(batches.len(), 2, "{batches:?}");
        assert_eq!(batches[0], ["a"]);
        let mut second = batches[1].clone();
        second.sort();
        assert_eq!(second, (0..10).map(|n| format!("b{n}")).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_store_that_panics_fails_its_batch_and_the_writer_goes_on() {
        let store = Arc::new(Recorder::default());
        *store.gate.lock().unwrap() = true;
        let group = GroupCommit::start(store.clone()).unwrap();
        assert_eq!(group.insert(new("a")).await, Ok(Outcome::Stored));
        assert!(group.insert(new("panic")).await.is_err());
        assert_eq!(group.insert(new("b")).await, Ok(Outcome::Stored));
    }
}
