//! Grading throughput on one core, with every question prepared once outside the timed
//! loop:
//!
//! - `varied_answers`: the 80 answers of `tests/fixtures/validation/new-questions.jsonl`
//!   (8 questions, 4-6 concepts, about 60 words on average, every kind from strong to
//!   off-topic), graded in turn, so caches never see one answer repeated;
//! - `worst_case_10k_chars_50_concepts`: a 10,000-character answer against 50 concepts.
//!
//! Targets: at least 200,000 gradings/s for the varied answers, and the worst case under
//! 20 ms.
//!
//! Wall-clock figures are noisy on a shared machine, so the binary also runs as a plain
//! driver for instruction counts and output checks:
//!
//! - `GRADING_LOOPS=N`: grades the 80 varied answers `N` times and exits (measure with
//!   `perf stat -e instructions`, divide by `80 * N`; compare against `N = 0`);
//! - `GRADING_WORST=N`: grades each worst case (10,000 characters against 50 concepts, and
//!   the largest requests `POST /api/v1/grade` accepts, of two shapes) `N` times and
//!   prints the mean time;
//! - `GRADING_DUMP=FILE.jsonl`: grades a batch file as `rehearse grade` does and prints
//!   every full grade (spans and hints included), to diff before and after a change.

use criterion::{black_box, criterion_group, Criterion, Throughput};
use rehearse::grading::{Concept, Corpus, PreparedQuestion};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    question: String,
    reference: String,
    keywords: Vec<String>,
    answer: String,
}

const VALIDATION: &str = include_str!("../tests/fixtures/validation/new-questions.jsonl");

/// (prepared question, answer) for every line, questions prepared once.
fn varied() -> Vec<(PreparedQuestion, String)> {
    let lines: Vec<Line> =
        VALIDATION.lines().map(|l| serde_json::from_str(l).expect("valid validation line")).collect();
    let corpus = Corpus::from_documents(lines.iter().map(|l| l.reference.as_str()));
    let mut prepared: Vec<(String, PreparedQuestion)> = Vec::new();
    lines
        .iter()
        .map(|l| {
            let q = match prepared.iter().find(|(q, _)| *q == l.question) {
                Some((_, p)) => p.clone(),
                None => {
                    let concepts: Vec<Concept> = l.keywords.iter().filter_map(|k| Concept::parse(k)).collect();
                    let p = PreparedQuestion::new(&l.question, &l.reference, &concepts, &[], &corpus);
                    prepared.push((l.question.clone(), p.clone()));
                    p
                }
            };
            (q, l.answer.clone())
        })
        .collect()
}

/// 50 concepts of two or three words and a 10,000-character answer that mentions many
/// of them, with negations and sequence words, in long run-on sentences.
fn worst_case() -> (PreparedQuestion, String) {
    let words = [
        "pod",
        "node",
        "cluster",
        "service",
        "ingress",
        "volume",
        "secret",
        "image",
        "layer",
        "registry",
        "probe",
        "replica",
        "scheduler",
        "kubelet",
        "controller",
        "namespace",
        "limit",
        "request",
        "container",
        "network",
    ];
    let concepts: Vec<Concept> = (0..50)
        .filter_map(|i| {
            let spec = format!(
                "{} {} | {} {} {}",
                words[i % 20],
                words[(i * 7 + 3) % 20],
                words[(i * 3 + 1) % 20],
                words[(i * 11 + 5) % 20],
                words[(i + 9) % 20]
            );
            Concept::parse(&spec)
        })
        .collect();
    let reference: String = (0..40)
        .map(|i| {
            format!("The {} restarts the {} before the {}. ", words[i % 20], words[(i * 3) % 20], words[(i * 7) % 20])
        })
        .collect();
    let mut answer = String::new();
    let mut i = 0;
    while answer.len() < 10_000 {
        answer.push_str(&format!(
            "first the {} does not restart the {}, then the {} and the {} share the {} after the {}, ",
            words[i % 20],
            words[(i * 3 + 1) % 20],
            words[(i * 7 + 2) % 20],
            words[(i * 11 + 3) % 20],
            words[(i * 13 + 4) % 20],
            words[(i * 17 + 5) % 20]
        ));
        i += 1;
    }
    answer.truncate(10_000);
    let prepared = PreparedQuestion::new(
        "What's the difference between a pod and a node?",
        &reference,
        &concepts,
        &[],
        &Corpus::default(),
    )
    .with_ordered_steps(true);
    (prepared, answer)
}

/// The largest stateless grading request the server accepts (`POST /api/v1/grade`):
/// 30 keywords of about 290 characters, each one long phrase of two-letter words, a
/// 5,000-character reference and a 10,000-character answer of the same few words, so
/// every word of every phrase is everywhere in the answer (a hostile probe's request,
/// 2026-12-06, which took 3.2 s before long phrases were matched word for word only).
fn hostile_request() -> (PreparedQuestion, String) {
    const WORDS: [&str; 12] = ["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "wx"];
    // A small linear congruential generator: the same text on every run.
    let mut state: u64 = 1;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let mut words = |count: usize, extra: &[&'static str]| -> String {
        let all: Vec<&str> = WORDS.iter().chain(extra).copied().collect();
        (0..count).map(|_| all[next(all.len())]).collect::<Vec<_>>().join(" ")
    };
    let concepts: Vec<Concept> =
        (0..30).filter_map(|_| Concept::parse(&words(40, &[]).chars().take(290).collect::<String>())).collect();
    let reference: String = words(1600, &["not", "never"]).chars().take(5_000).collect();
    let answer: String = words(4000, &["not", "never"]).chars().take(10_000).collect();
    let prepared = PreparedQuestion::new(&"q".repeat(1_000), &reference, &concepts, &[], &Corpus::default());
    (prepared, answer)
}

/// The largest request of another shape (a hostile probe's, 2026-12-07): each of the 30
/// keywords is as many `|` alternatives as fit in 300 characters, each eight words long
/// (the longest matched in any order) and drawn from four two-letter words, as are the
/// 5,000-character reference and the 10,000-character answer: every position is a
/// match of every alternative. It took 16-25 s before the matches of a concept were
/// bounded.
fn hostile_alternatives() -> (PreparedQuestion, String) {
    const WORDS: [&str; 4] = ["gx", "dl", "ft", "st"];
    let mut state: u64 = 7;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let mut words =
        |count: usize| -> String { (0..count).map(|_| WORDS[next(WORDS.len())]).collect::<Vec<_>>().join(" ") };
    let concepts: Vec<Concept> = (0..30)
        .filter_map(|_| {
            let mut keyword = words(8);
            loop {
                let alternative = words(8);
                if keyword.len() + 1 + alternative.len() > 300 {
                    break;
                }
                keyword = format!("{keyword}|{alternative}");
            }
            Concept::parse(&keyword)
        })
        .collect();
    let reference: String = words(1700).chars().take(5_000).collect();
    let answer: String = words(3400).chars().take(10_000).collect();
    let prepared = PreparedQuestion::new("q", &reference, &concepts, &[], &Corpus::default());
    (prepared, answer)
}

fn bench(c: &mut Criterion) {
    let items = varied();
    let mut group = c.benchmark_group("grading");
    group.throughput(Throughput::Elements(items.len() as u64));
    group.bench_function("varied_answers", |b| {
        b.iter(|| {
            for (q, a) in &items {
                black_box(q.grade(black_box(a)));
            }
        })
    });
    group.finish();

    let (q, answer) = worst_case();
    let mut group = c.benchmark_group("grading_worst_case");
    group.sample_size(20);
    group.bench_function("worst_case_10k_chars_50_concepts", |b| b.iter(|| q.grade(black_box(&answer))));
    let (q, answer) = hostile_request();
    group.bench_function("largest_grade_request", |b| b.iter(|| q.grade(black_box(&answer))));
    let (q, answer) = hostile_alternatives();
    group.bench_function("largest_grade_request_short_alternatives", |b| b.iter(|| q.grade(black_box(&answer))));
    group.finish();
}

criterion_group!(benches, bench);

/// The server's allocator, set up as the server sets it up.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    rehearse::allocator::configure();
    let var = |name: &str| std::env::var(name).ok();
    if let Some(n) = var("GRADING_LOOPS") {
        let n: usize = n.parse().expect("GRADING_LOOPS is a number");
        let items = varied();
        for _ in 0..n {
            for (q, a) in &items {
                black_box(q.grade(black_box(a)));
            }
        }
        println!("graded {} answers", n * items.len());
    } else if let Some(n) = var("GRADING_WORST") {
        let n: u32 = n.parse().expect("GRADING_WORST is a number");
        for (name, (q, answer)) in [
            ("worst case", worst_case()),
            ("largest /grade request", hostile_request()),
            ("largest /grade request, short alternatives", hostile_alternatives()),
        ] {
            let start = std::time::Instant::now();
            for _ in 0..n {
                black_box(q.grade(black_box(&answer)));
            }
            println!("{name}: {:?} per grading", start.elapsed() / n.max(1));
        }
    } else if let Some(path) = var("GRADING_DUMP") {
        let file = std::fs::File::open(&path).expect("readable batch file");
        let batch = rehearse::cli::batch::read(std::io::BufReader::new(file)).expect("batch file");
        for (line, grade) in batch.lines.iter().zip(rehearse::cli::batch::grade_all(&batch.lines, true)) {
            println!("{} {grade:?}", line.id);
        }
    } else {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
