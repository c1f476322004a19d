//! `rehearse grade`: JSONL in, JSONL out, one line per input line, in order.
use clap::Args;
use serde::Deserialize;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub struct GradeArgs {
    /// JSONL file to read (default: standard input).
    #[arg(long)]
    input: Option<PathBuf>,
}

/// One input line; other fields (`human`, `kind`, ...) are ignored.
#[derive(Deserialize)]
struct GradeLine {
    id: serde_json::Value,
    #[serde(default)]
    question: String,
    reference: String,
    #[serde(default)]
    keywords: Vec<String>,
    answer: String,
}

pub fn run(args: GradeArgs) -> anyhow::Result<ExitCode> {
    let reader: Box<dyn BufRead> = match &args.input {
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?,
        )),
        None => Box::new(BufReader::new(std::io::stdin())),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0usize;
    for (index, line) in reader.split(b'\n').enumerate() {
        let number = index + 1;
        let bytes = line?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.trim(),
            Err(_) => {
                eprintln!("line {number}: not valid UTF-8; skipped");
                failures += 1;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<GradeLine>(text) {
            Ok(input) => {
                let grade = crate::grading::grade(&input.question, &input.reference, &input.keywords, &input.answer);
                let row = json!({
                    "id": input.id,
                    "score": grade.score,
                    "band": grade.band.as_str(),
                    "covered": grade.covered(),
                    "missed": grade.missed(),
                    "contradicted": grade.contradicted(),
                    "feedback": grade.feedback,
                });
                writeln!(out, "{row}")?;
            }
            Err(e) => {
                eprintln!("line {number}: {e}; skipped");
                failures += 1;
            }
        }
    }
    out.flush()?;
    if failures > 0 {
        eprintln!("{failures} line(s) could not be graded");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
