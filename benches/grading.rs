//! Throughput of grading a typical ~80-word answer against a prepared reference with
//! six keyword concepts (the reference is prepared once, outside the timed loop).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rehearse::grading::{Concept, Corpus, PreparedQuestion};

const QUESTION: &str = "What's the difference between a Docker image and a container?";
const REFERENCE: &str = "An image is a read-only, layered template that bundles a base OS layer, your \
application code and its dependencies; you build it from a Dockerfile and keep it in a registry such as \
Docker Hub or ECR. A container is what you get when you actually run that image: a live, isolated process \
with its own thin writable layer on top. So the image is like a class or blueprint, and the container is \
an instance of it. You can start many containers from the same image, and they behave the same on any \
machine that has Docker.";
const KEYWORDS: [&str; 6] = [
    "read-only | immutable | template | blueprint | snapshot",
    "running instance | instance of an image | running process | docker run",
    "layers | layered | layer",
    "dockerfile | build",
    "registry | docker hub | ecr",
    "many containers | multiple containers | same image | one image",
];
const ANSWER: &str = "Think of the image as the packaged artifact: it's built from a Dockerfile, it's made \
of stacked layers like the base OS, the dependencies and my code, and it never changes once built. A \
container is that artifact brought to life, Docker takes the image, adds a writable layer and runs it as \
an isolated process. I can launch ten containers off one image and they'll all be identical. Images live \
in a registry like ECR; containers live on a host while they run.";

fn bench(c: &mut Criterion) {
    let concepts: Vec<Concept> = KEYWORDS.iter().filter_map(|k| Concept::parse(k)).collect();
    let prepared = PreparedQuestion::new(QUESTION, REFERENCE, &concepts, &[], &Corpus::default());
    let mut group = c.benchmark_group("grading");
    group.throughput(Throughput::Elements(1));
    group.bench_function("grade_80_words_6_keywords", |b| b.iter(|| prepared.grade(black_box(ANSWER))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
