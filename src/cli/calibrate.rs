//! `rehearse calibrate FILE.jsonl`: how far the grader agrees with human grades; with
//! `--from-db`, the human grades are the peer marks in the server's database.
use clap::Args;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::batch::{self, Line};
use super::grade::open;
use crate::grading::{stats, Rule, RuleSet};
use crate::practice::FollowUpJudgement;

#[derive(Args, Debug, Clone)]
pub struct CalibrateArgs {
    /// JSONL with a `human` grade (0..1) per line, like ../shared/calibration/dev.jsonl.
    #[arg(required_unless_present = "from_db", conflicts_with = "from_db")]
    file: Option<PathBuf>,
    /// Read the answers peers marked in the server's database instead of a file: the
    /// human grade of an answer is its mean peer mark / 5, and it is graded with today's
    /// version of its question.
    #[arg(long)]
    from_db: bool,
    /// Database URL for --from-db.
    #[arg(long = "database", env = "REHEARSE_DATABASE_URL", default_value = crate::configuration::DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Only grade with concepts derived from the reference (ignore `keywords`).
    #[arg(long, conflicts_with = "keywords_only")]
    without_keywords: bool,
    /// Only grade with the given keywords (skip the derived-concepts run).
    #[arg(long)]
    keywords_only: bool,
    /// Per rule: how often it fired, and how often firing moved the score toward the
    /// human grade (each rule switched off in turn).
    #[arg(long)]
    rules: bool,
    /// Grade lines whose question is in this question bank as the server does: with
    /// the bank's keywords, relations and step order.
    #[arg(long, value_name = "DIR")]
    bank: Option<PathBuf>,
    /// Keep each line's own reference and keywords, and add the anticipated
    /// misconceptions of the bank question that asks the same thing: the prompt with the
    /// same subject words (two thirds of the shorter prompt's, see [`same_subject`]), e.g. "What are
    /// namespaces in Kubernetes used for?" and "What are namespaces used for in
    /// Kubernetes?". Measures what an author's misconceptions do for a question graded
    /// with someone else's model answer; the matches are printed.
    #[arg(long, value_name = "DIR", conflicts_with = "bank")]
    misconceptions_from: Option<PathBuf>,
    /// The file holds follow-up replies (`question_id`, `concept`, `reply`, `covered`:
    /// whether a human accepted the reply, 0 or 1, and an optional `kind`), graded as the
    /// server grades a follow-up: against that one concept of the bank question. Needs
    /// `--bank`.
    #[arg(long, requires = "bank")]
    follow_ups: bool,
    /// Also write every answer's score beside its human grade to this file, one JSON
    /// object per line (`id`, `question`, `kind`, `human`, `score`, `keywords`: whether the
    /// run used the keywords), for analysis outside the tool.
    #[arg(long, value_name = "FILE")]
    scores: Option<PathBuf>,
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
    /// Answers a human graded >= 0.8 that scored < 0.5 (a correct answer called wrong).
    pub false_alarms: usize,
    /// Mean of the per-question Pearson correlations (questions with at least three
    /// answers and some spread), and how many questions it averages.
    pub per_question: Option<(f64, usize)>,
}

/// A human grade at or above this is a correct answer ...
pub const CORRECT: f64 = 0.8;
/// ... and a score below this calls it wrong.
pub const CALLED_WRONG: f64 = 0.5;

/// Number of answers graded correct by a human and scored as wrong.
pub fn false_alarms(lines: &[Line], scores: &[f64]) -> usize {
    lines.iter().zip(scores).filter(|(l, s)| l.human.unwrap_or(0.0) >= CORRECT && **s < CALLED_WRONG).count()
}

/// Mean per-question Pearson r over questions with at least three answers.
pub fn per_question(lines: &[Line], scores: &[f64]) -> Option<(f64, usize)> {
    let mut groups: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (l, s) in lines.iter().zip(scores) {
        let g = groups.entry(l.question.as_str()).or_default();
        g.0.push(*s);
        g.1.push(l.human.unwrap_or(0.0));
    }
    let rs: Vec<f64> =
        groups.values().filter(|(s, _)| s.len() >= 3).filter_map(|(s, h)| stats::pearson(s, h)).collect();
    (!rs.is_empty()).then(|| (rs.iter().sum::<f64>() / rs.len() as f64, rs.len()))
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
        false_alarms: false_alarms(lines, scores),
        per_question: per_question(lines, scores),
    }
}

/// How many grades are unsure (`Grade::unsure`: shown, not counted for the learner), and
/// how a human graded those answers: the false alarms they spare a learner, and the
/// wrong answers they let go uncounted.
fn print_unsure(lines: &[Line], scores: &[f64], unsure: &[bool]) {
    let (mut n, mut alarms, mut accepted) = (0, 0, 0);
    for ((l, &score), _) in lines.iter().zip(scores).zip(unsure).filter(|(_, &u)| u) {
        let human = l.human.unwrap_or(0.0);
        n += 1;
        alarms += usize::from(human >= CORRECT && score < CALLED_WRONG);
        accepted += usize::from(human >= 0.4);
    }
    let rejected = n - accepted;
    println!(
        "unsure grades (not counted for the learner): {n}; false alarms among them {alarms}; \
         human >= 0.4: {accepted}, below: {rejected}"
    );
}

fn print(title: &str, lines: &[Line], scores: &[f64]) {
    let r = report(lines, scores);
    let f = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into());
    println!("== {title} ({} answers)", lines.len());
    println!("pearson {}  spearman {}  mean abs error {}", f(r.pearson), f(r.spearman), f(r.mae));
    let correct = lines.iter().filter(|l| l.human.unwrap_or(0.0) >= CORRECT).count();
    println!("false alarms (human >= {CORRECT}, score < {CALLED_WRONG}): {} of {correct}", r.false_alarms);
    if let Some((mean, n)) = r.per_question {
        println!("mean per-question pearson {mean:.3} over {n} questions");
    }
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

/// The peer-marked answers of the database as calibration lines (human = mean mark / 5),
/// with the grader's scores when they were answered.
async fn from_db(database_url: &str) -> anyhow::Result<(batch::Batch, Vec<f64>)> {
    let store = crate::store::Store::connect(database_url).await?;
    let rows = store.calibration_rows().await;
    store.close().await;
    let rows = rows?;
    let marks: i64 = rows.iter().map(|r| r.marks).sum();
    println!("{} peer-marked answers ({marks} marks) in {database_url}", rows.len());
    let stored = rows.iter().map(|r| r.stored_score).collect();
    let lines = rows
        .into_iter()
        .map(|r| Line {
            id: serde_json::Value::String(r.attempt_id),
            question: r.prompt,
            reference: r.reference,
            keywords: r.keywords.into_iter().map(|k| k.concept).collect(),
            relations: r.relations,
            ordered: r.ordered,
            misconceptions: r.misconceptions,
            answer: r.answer,
            human: Some(r.mean_mark / crate::domain::PeerScore::MAX as f64),
            kind: None,
        })
        .collect();
    Ok((batch::Batch { lines, errors: Vec::new() }, stored))
}

pub async fn run(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    if args.follow_ups {
        let (Some(file), Some(bank)) = (&args.file, &args.bank) else {
            anyhow::bail!("--follow-ups needs a FILE and --bank DIR");
        };
        let lines = read_follow_ups(open(Some(file))?)?;
        let verdicts = follow_up_verdicts(&lines, bank)?;
        print_follow_ups(&lines, &verdicts);
        if let Some(path) = &args.scores {
            let mut out = std::io::BufWriter::new(
                std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
            );
            for (l, v) in lines.iter().zip(&verdicts) {
                let row = serde_json::json!({
                    "question_id": l.question_id, "concept": l.concept, "kind": l.kind, "covered": l.covered,
                    "verdict": format!("{v:?}"),
                });
                writeln!(out, "{row}")?;
            }
            out.flush()?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (mut batch, stored, source) = match &args.file {
        Some(file) if !args.from_db => (batch::read(open(Some(file))?)?, None, file.display().to_string()),
        _ => {
            let (batch, stored) = from_db(&args.database_url).await?;
            if batch.lines.len() < 2 {
                anyhow::bail!(
                    "{}: need at least two peer-marked answers to compare with the grader, found {}",
                    args.database_url,
                    batch.lines.len()
                );
            }
            (batch, Some(stored), args.database_url.clone())
        }
    };
    let before = batch.lines.len();
    batch.lines.retain(|l| l.human.is_some_and(|h| (0.0..=1.0).contains(&h)));
    if batch.lines.len() < before {
        batch
            .errors
            .push(format!("{} line(s) without a `human` grade in 0..1 were left out", before - batch.lines.len()));
    }
    if batch.lines.len() < 2 {
        anyhow::bail!("{source}: need at least two lines with a `human` grade");
    }
    let runs: &[(&str, bool)] = match (args.without_keywords, args.keywords_only) {
        (true, _) => &[("without keywords (derived from the reference)", false)],
        (_, true) => &[("with keywords", true)],
        _ => &[("with keywords", true), ("without keywords (derived from the reference)", false)],
    };
    if let Some(dir) = &args.bank {
        use_bank(&mut batch.lines, dir)?;
    }
    if let Some(dir) = &args.misconceptions_from {
        use_bank_misconceptions(&mut batch.lines, dir)?;
    }
    if let Some(stored) = &stored {
        // What the agreement view on the admin's question page shows, for comparison
        // with today's keywords below.
        print("as graded when answered", &batch.lines, stored);
    }
    let mut scores_out = match &args.scores {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        )),
        None => None,
    };
    for (title, use_keywords) in runs {
        let grades = batch::grade_all(&batch.lines, *use_keywords);
        let scores: Vec<f64> = grades.iter().map(|g| g.score).collect();
        print(title, &batch.lines, &scores);
        let unsure: Vec<bool> = grades.iter().map(|g| g.unsure()).collect();
        print_unsure(&batch.lines, &scores, &unsure);
        if let Some(out) = scores_out.as_mut() {
            write_scores(out, &batch.lines, &scores, &unsure, *use_keywords)?;
        }
        if args.rules {
            print_rules(&batch.lines, *use_keywords, &scores);
        }
    }
    for e in &batch.errors {
        eprintln!("{e}");
    }
    Ok(if batch.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One JSON object per answer: its id, question, kind, human grade, score and whether
/// the grade is unsure (not counted for the learner).
fn write_scores(
    out: &mut impl std::io::Write,
    lines: &[Line],
    scores: &[f64],
    unsure: &[bool],
    keywords: bool,
) -> anyhow::Result<()> {
    for ((l, s), u) in lines.iter().zip(scores).zip(unsure) {
        let row = serde_json::json!({
            "id": l.id, "question": l.question, "kind": l.kind, "human": l.human, "score": s, "unsure": u,
            "keywords": keywords,
        });
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}

/// Takes keywords, relations and step order from the bank for lines whose question is
/// a bank prompt (matched exactly, ignoring case and surrounding space).
fn use_bank(lines: &mut [Line], dir: &std::path::Path) -> anyhow::Result<()> {
    let topics = crate::bank::load_dir(dir)?;
    let questions: Vec<_> = topics.iter().flat_map(|t| &t.questions).collect();
    let mut matched = 0;
    for l in lines.iter_mut() {
        let Some(q) = questions.iter().find(|q| q.prompt.trim().eq_ignore_ascii_case(l.question.trim())) else {
            continue;
        };
        l.keywords = q.keywords.iter().map(|k| k.concept.clone()).collect();
        l.relations = q.relations.clone();
        l.ordered = q.ordered;
        l.misconceptions = q.misconceptions.clone();
        matched += 1;
    }
    println!("{matched} of {} lines graded with the bank's keywords, relations and step order", lines.len());
    Ok(())
}

/// Adds the misconceptions of the bank question asking the same thing as each line's
/// question (see [`same_subject`]), and prints which prompt matched which.
fn use_bank_misconceptions(lines: &mut [Line], dir: &std::path::Path) -> anyhow::Result<()> {
    let topics = crate::bank::load_dir(dir)?;
    let questions: Vec<_> = topics.iter().flat_map(|t| &t.questions).collect();
    let mut matches: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let mut matched = 0;
    for l in lines.iter_mut() {
        let found = *matches.entry(l.question.clone()).or_insert_with(|| {
            let best = questions
                .iter()
                .enumerate()
                .map(|(i, q)| (same_subject(&l.question, &q.prompt), i))
                .filter(|(share, _)| *share >= 2.0 / 3.0)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            match best {
                Some((share, i)) => println!("{:.2}  {}  ->  {}", share, l.question, questions[i].id),
                None => println!("  -   {}  ->  (no bank question)", l.question),
            }
            best.map(|(_, i)| i)
        });
        if let Some(i) = found {
            l.misconceptions.extend(questions[i].misconceptions.iter().cloned());
            matched += 1;
        }
    }
    println!("{matched} of {} lines graded with the misconceptions of the bank question asking the same", lines.len());
    Ok(())
}

/// Share of the shorter prompt's subject words that the other prompt has too (0 when
/// they share fewer than two, or fewer than two fifths of all their words), over words that name something: question words ("what",
/// "difference", "why"), function words and a plural's "s" are left out, so wording and
/// word order do not count, and a prompt that adds a clause ("..., and when would you
/// use each?") still asks the same thing.
pub fn same_subject(a: &str, b: &str) -> f64 {
    const ASKING: &[&str] = &[
        "a",
        "an",
        "and",
        "are",
        "between",
        "by",
        "can",
        "describe",
        "difference",
        "do",
        "does",
        "each",
        "explain",
        "for",
        "how",
        "in",
        "is",
        "it",
        "its",
        "matter",
        "mean",
        "need",
        "of",
        "on",
        "one",
        "or",
        "problem",
        "purpose",
        "s",
        "say",
        "solve",
        "the",
        "to",
        "use",
        "used",
        "what",
        "when",
        "which",
        "why",
        "work",
        "would",
        "you",
        "your",
    ];
    let words = |p: &str| -> std::collections::BTreeSet<String> {
        p.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !ASKING.contains(w))
            .map(|w| w.strip_suffix('s').filter(|r| r.len() > 2).unwrap_or(w).to_string())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shared = a.intersection(&b).count();
    // Two thirds of the shorter one, and not a short prompt's two words inside a long
    // one about something else ("image ... container" in a question about tags).
    if shared < 2 || (shared as f64) < 0.4 * a.union(&b).count() as f64 {
        return 0.0;
    }
    shared as f64 / a.len().min(b.len()) as f64
}

/// One row per rule: switched off, how many scores change (fired), how many of those
/// move toward the human grade with the rule on (right) or away from it (wrong), and
/// what switching it off does to Pearson r and to false alarms.
fn print_rules(lines: &[Line], use_keywords: bool, scores: &[f64]) {
    let human: Vec<f64> = lines.iter().map(|l| l.human.unwrap_or(0.0)).collect();
    let r_all = stats::pearson(scores, &human).unwrap_or(0.0);
    let fa_all = false_alarms(lines, scores);
    println!("rules (each switched off in turn; right = the rule moved the score toward the human grade):");
    println!(
        "  {:<10} {:>6} {:>6} {:>6}  {:>9}  {:>13}",
        "rule", "fired", "right", "wrong", "r without", "false alarms"
    );
    for rule in Rule::ALL {
        let off: Vec<f64> = batch::grade_all_with(lines, use_keywords, RuleSet::default().without(rule))
            .iter()
            .map(|g| g.score)
            .collect();
        let (mut fired, mut right, mut wrong) = (0, 0, 0);
        for ((on, off), h) in scores.iter().zip(&off).zip(&human) {
            if (on - off).abs() < 1e-9 {
                continue;
            }
            fired += 1;
            if (on - h).abs() < (off - h).abs() {
                right += 1;
            } else {
                wrong += 1;
            }
        }
        let r_off = stats::pearson(&off, &human).unwrap_or(0.0);
        let fa_off = false_alarms(lines, &off);
        println!("  {:<10} {fired:>6} {right:>6} {wrong:>6}  {r_off:>9.3}  {fa_all:>5} -> {fa_off:<5}", rule.name());
    }
    println!("  (with every rule: r {r_all:.3}, {fa_all} false alarms)");
}

/// One follow-up reply: the reply to the follow-up asked about `concept` of the bank
/// question `question_id`, and whether a human accepted it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct FollowUpLine {
    pub question_id: String,
    pub concept: String,
    pub reply: String,
    /// 1 when a human accepted the reply as covering the concept, else 0.
    pub covered: u8,
    #[serde(default)]
    pub kind: Option<String>,
    /// The follow-up asked (to know whether it named the concept).
    pub follow_up: String,
}

/// Reads a follow-up reply set (JSON Lines); blank lines are skipped.
pub fn read_follow_ups(reader: impl std::io::BufRead) -> anyhow::Result<Vec<FollowUpLine>> {
    let mut lines = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: FollowUpLine =
            serde_json::from_str(&line).map_err(|e| anyhow::anyhow!("line {}: not a follow-up reply: {e}", n + 1))?;
        lines.push(parsed);
    }
    Ok(lines)
}

/// The grader's verdict on each reply, as the server gives it (`practice::answer_follow_up`):
/// the bank built from the files in `bank`, the reply graded against the one concept
/// whose label the line names.
pub fn follow_up_verdicts(lines: &[FollowUpLine], bank: &std::path::Path) -> anyhow::Result<Vec<FollowUpJudgement>> {
    let questions = crate::practice::QuestionBank::from_files(&crate::bank::load_dir(bank)?)?;
    lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let question = questions
                .question(&l.question_id)
                .ok_or_else(|| anyhow::anyhow!("line {}: no question {:?} in the bank", n + 1, l.question_id))?;
            let index = question.prepared.concepts().iter().position(|c| c.label == l.concept).ok_or_else(|| {
                anyhow::anyhow!("line {}: question {:?} has no concept {:?}", n + 1, l.question_id, l.concept)
            })?;
            let status = question
                .prepared
                .grade_concept(index, &l.reply)
                .map(|r| r.status)
                .ok_or_else(|| anyhow::anyhow!("line {}: concept {index} could not be graded", n + 1))?;
            Ok(FollowUpJudgement::of(Some(question), &l.concept, &l.follow_up, &l.reply, status))
        })
        .collect()
}

/// Where the grader's verdicts on follow-up replies and the human's differ: (replies a
/// human accepted that the learner is told missed the concept or got it wrong, replies
/// a human did not accept that were credited).
pub fn follow_up_errors(lines: &[FollowUpLine], verdicts: &[FollowUpJudgement]) -> (Vec<usize>, Vec<usize>) {
    let called_wrong = (0..lines.len()).filter(|&i| lines[i].covered == 1 && verdicts[i].told_wrong()).collect();
    let false_credit =
        (0..lines.len()).filter(|&i| lines[i].covered == 0 && verdicts[i] == FollowUpJudgement::Covered).collect();
    (called_wrong, false_credit)
}

fn print_follow_ups(lines: &[FollowUpLine], verdicts: &[FollowUpJudgement]) {
    let (called_wrong, false_credit) = follow_up_errors(lines, verdicts);
    let accepted = lines.iter().filter(|l| l.covered == 1).count();
    let counted = |human: u8, verdict: FollowUpJudgement| {
        lines.iter().zip(verdicts).filter(|(l, v)| l.covered == human && **v == verdict).count()
    };
    let unjudged = |human: u8| counted(human, FollowUpJudgement::NotJudged);
    let unmatched = |human: u8| counted(human, FollowUpJudgement::Unmatched);
    println!("== follow-up replies ({} replies, {accepted} accepted by a human)", lines.len());
    println!("accepted replies told they missed the concept or got it wrong: {} of {accepted}", called_wrong.len());
    println!("replies not accepted that were credited: {} of {}", false_credit.len(), lines.len() - accepted);
    println!(
        "not judged because the follow-up used the concept's words: {} accepted, {} not accepted",
        unjudged(1),
        unjudged(0)
    );
    println!(
        "gaps filled without the concept's words, shown the model answer's fill: {} accepted, {} not accepted",
        unmatched(1),
        unmatched(0)
    );
    let mut kinds: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    for (l, v) in lines.iter().zip(verdicts) {
        let e = kinds.entry(l.kind.as_deref().unwrap_or("-")).or_default();
        e.0 += 1;
        e.1 += usize::from(l.covered == 1);
        e.2 += usize::from(*v == FollowUpJudgement::Covered);
        e.3 += usize::from(v.told_wrong());
    }
    println!("per kind (replies, accepted by a human, credited by the grader, told missed or wrong):");
    for (kind, (n, human, credited, wrong)) in kinds {
        println!("  {kind:<16} {n:>4} {human:>4} {credited:>4} {wrong:>4}");
    }
    let accepted_unmatched: Vec<usize> =
        (0..lines.len()).filter(|&i| lines[i].covered == 1 && verdicts[i] == FollowUpJudgement::Unmatched).collect();
    for (title, list) in [
        ("accepted but told missed or wrong", &called_wrong),
        ("credited", &false_credit),
        ("accepted, gap filled without the concept's words", &accepted_unmatched),
    ] {
        println!("{title}:");
        for &i in list.iter().take(40) {
            let l = &lines[i];
            let reply: String = l.reply.chars().take(90).collect();
            println!("  {} / {} ({:?}): {reply}", l.question_id, l.concept, verdicts[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_subject;

    #[test]
    fn prompts_asking_the_same_thing_match_and_others_do_not() {
        let same = [
            ("What are namespaces in Kubernetes used for?", "What are namespaces used for in Kubernetes?"),
            (
                "What's the difference between a StatefulSet and a Deployment, and when would you use each?",
                "What's the difference between a StatefulSet and a Deployment?",
            ),
            (
                "Why does the order of instructions in a Dockerfile matter, and how do you take advantage of the build cache?",
                "Why does the order of instructions in a Dockerfile matter for build speed?",
            ),
        ];
        for (a, b) in same {
            assert!(same_subject(a, b) >= 2.0 / 3.0, "{a} / {b}: {}", same_subject(a, b));
        }
        let different = [
            ("What's the difference between a StatefulSet and a Deployment?", "What's the difference between a pod and a deployment?"),
            ("What is Helm, and what problem does it solve?", "What is Docker, and what problem does containerization solve?"),
            (
                "What's the difference between referencing a container image by tag and by digest, and why does it matter?",
                "What's the difference between a Docker image and a container?",
            ),
            ("What is a DaemonSet?", "What is a Kubernetes Service?"),
        ];
        for (a, b) in different {
            assert!(same_subject(a, b) < 2.0 / 3.0, "{a} / {b}: {}", same_subject(a, b));
        }
    }
}
