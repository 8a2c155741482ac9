//! Entry point of the history checker's Web Worker (see `import.rs`).

fn main() {
    quorumscope_web::import::worker_start();
}
