//! Human progress output on stderr: numbered step headers with elapsed time,
//! one line per contract, indented details.

use std::time::{Duration, Instant};

/// Marks a passing line.
pub const OK: &str = "✓";
/// Marks a failing line.
pub const FAIL: &str = "✗";
/// Marks a warning.
pub const WARN: &str = "!";

/// Prints progress to stderr and records step timings.
#[derive(Debug)]
pub struct Progress {
    started: Instant,
    step_started: Option<(String, Instant)>,
    index: usize,
    total: usize,
    /// Finished steps and how long each took.
    pub timings: Vec<(String, Duration)>,
}

impl Progress {
    /// A reporter for `total` steps.
    pub fn new(total: usize) -> Self {
        Self { started: Instant::now(), step_started: None, index: 0, total, timings: Vec::new() }
    }

    /// Ends the current step (if any) and starts the next.
    pub fn step(&mut self, title: &str) {
        self.end_step();
        self.index += 1;
        eprintln!("\n[{}/{}] {title}", self.index, self.total);
        self.step_started = Some((title.to_owned(), Instant::now()));
    }

    /// Ends the current step, printing its duration.
    pub fn end_step(&mut self) {
        if let Some((title, started)) = self.step_started.take() {
            let took = started.elapsed();
            eprintln!("      ({})", seconds(took));
            self.timings.push((title, took));
        }
    }

    /// A result line.
    pub fn line(&self, ok: bool, text: &str) {
        eprintln!("  {} {text}", if ok { OK } else { FAIL });
    }

    /// A warning line.
    pub fn warn(&self, text: &str) {
        eprintln!("  {WARN} {text}");
    }

    /// An informational line.
    pub fn note(&self, text: &str) {
        eprintln!("    {text}");
    }

    /// Indented multi-line detail (diffs, violation lists).
    pub fn detail(&self, text: &str) {
        for line in text.lines() {
            eprintln!("      {line}");
        }
    }

    /// Time since the reporter was created.
    pub fn total_elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// `12.3s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}
