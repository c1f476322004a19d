//! `rehearse grade`: JSONL in, JSONL out, one line per input line, in order.
use clap::Args;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::batch;
use crate::grading::{Rule, RuleSet};

#[derive(Args, Debug, Clone)]
pub struct GradeArgs {
    /// JSONL file to read (default: standard input).
    #[arg(long)]
    input: Option<PathBuf>,
    /// Grade with this rule switched off (repeatable): negation, swap, order, stuffing,
    /// retraction, circular or misconception. Comparing the output with and without a rule shows which answers it
    /// changes.
    #[arg(long, value_name = "RULE", value_parser = parse_rule)]
    without: Vec<Rule>,
}

fn parse_rule(name: &str) -> Result<Rule, String> {
    Rule::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        format!("no rule {name:?}; the rules are {}", names.join(", "))
    })
}

pub fn open(input: Option<&PathBuf>) -> anyhow::Result<Box<dyn BufRead>> {
    Ok(match input {
        Some(path) => Box::new(BufReader::new(
            std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?,
        )),
        None => Box::new(BufReader::new(std::io::stdin())),
    })
}

pub fn run(args: GradeArgs) -> anyhow::Result<ExitCode> {
    let batch = batch::read(open(args.input.as_ref())?)?;
    let rules = args.without.iter().fold(RuleSet::default(), |set, rule| set.without(*rule));
    let grades = batch::grade_all_with(&batch.lines, true, rules);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (line, grade) in batch.lines.iter().zip(&grades) {
        let row = json!({
            "id": line.id,
            "score": grade.score,
            "band": grade.band.as_str(),
            "covered": grade.covered(),
            "missed": grade.missed(),
            "contradicted": grade.contradicted(),
            "feedback": grade.feedback,
            "unsure": grade.unsure(),
            "components": grade.components,
        });
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    for e in &batch.errors {
        eprintln!("{e}");
    }
    if !batch.errors.is_empty() {
        eprintln!("{} line(s) could not be graded", batch.errors.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
