//! `rehearse calibrate FILE.jsonl`: how far the grader agrees with human grades.
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::batch::{self, Line};
use super::grade::open;
use crate::grading::stats;

#[derive(Args, Debug, Clone)]
pub struct CalibrateArgs {
    /// JSONL with a `human` grade (0..1) per line, like ../shared/calibration/dev.jsonl.
    file: PathBuf,
    /// Only grade with concepts derived from the reference (ignore `keywords`).
    #[arg(long, conflicts_with = "keywords_only")]
    without_keywords: bool,
    /// Only grade with the given keywords (skip the derived-concepts run).
    #[arg(long)]
    keywords_only: bool,
}

/// Agreement figures for one run.
pub struct Report {
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub mae: Option<f64>,
    /// kind → (mean score, mean human, count), by mean human grade descending.
    pub kinds: Vec<(String, f64, f64, usize)>,
    /// Indices of the largest |score - human|, largest first.
    pub worst: Vec<usize>,
}

pub fn report(lines: &[Line], scores: &[f64]) -> Report {
    let human: Vec<f64> = lines.iter().map(|l| l.human.unwrap_or(0.0)).collect();
    let mut kinds: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    for (l, s) in lines.iter().zip(scores) {
        if let Some(kind) = &l.kind {
            let e = kinds.entry(kind.clone()).or_default();
            e.0 += s;
            e.1 += l.human.unwrap_or(0.0);
            e.2 += 1;
        }
    }
    let mut kinds: Vec<(String, f64, f64, usize)> =
        kinds.into_iter().map(|(k, (s, h, n))| (k, s / n as f64, h / n as f64, n)).collect();
    kinds.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut worst: Vec<usize> = (0..lines.len()).collect();
    worst.sort_by(|&a, &b| (scores[b] - human[b]).abs().total_cmp(&(scores[a] - human[a]).abs()));
    worst.truncate(10);
    Report {
        pearson: stats::pearson(scores, &human),
        spearman: stats::spearman(scores, &human),
        mae: stats::mean_abs_error(scores, &human),
        kinds,
        worst,
    }
}

fn print(title: &str, lines: &[Line], scores: &[f64]) {
    let r = report(lines, scores);
    let f = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into());
    println!("== {title} ({} answers)", lines.len());
    println!("pearson {}  spearman {}  mean abs error {}", f(r.pearson), f(r.spearman), f(r.mae));
    if !r.kinds.is_empty() {
        println!("mean score per kind:");
        for (kind, score, human, n) in &r.kinds {
            println!("  {kind:<10} score {score:.3}  human {human:.3}  (n={n})");
        }
    }
    println!("largest disagreements:");
    for &i in &r.worst {
        let l = &lines[i];
        let snippet: String = l.answer.chars().take(70).collect();
        let id = l.id.as_str().map(str::to_string).unwrap_or_else(|| l.id.to_string());
        println!("  {id:<8} score {:.2}  human {:.2}  {snippet}", scores[i], l.human.unwrap_or(0.0));
    }
}

pub fn run(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let mut batch = batch::read(open(Some(&args.file))?)?;
    let before = batch.lines.len();
    batch.lines.retain(|l| l.human.is_some_and(|h| (0.0..=1.0).contains(&h)));
    if batch.lines.len() < before {
        batch
            .errors
            .push(format!("{} line(s) without a `human` grade in 0..1 were left out", before - batch.lines.len()));
    }
    if batch.lines.len() < 2 {
        anyhow::bail!("{}: need at least two lines with a `human` grade", args.file.display());
    }
    let runs: &[(&str, bool)] = match (args.without_keywords, args.keywords_only) {
        (true, _) => &[("without keywords (derived from the reference)", false)],
        (_, true) => &[("with keywords", true)],
        _ => &[("with keywords", true), ("without keywords (derived from the reference)", false)],
    };
    for (title, use_keywords) in runs {
        let scores: Vec<f64> = batch::grade_all(&batch.lines, *use_keywords).iter().map(|g| g.score).collect();
        print(title, &batch.lines, &scores);
    }
    for e in &batch.errors {
        eprintln!("{e}");
    }
    Ok(if batch.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
