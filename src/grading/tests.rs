//! End-to-end behaviour of the public API.

use super::*;

const Q: &str = "What's the difference between a liveness probe and a readiness probe?";
const R: &str = "Both are health checks the kubelet runs against a container. A liveness probe asks \
whether the process is still alive; if it keeps failing, Kubernetes kills and restarts the container. \
A readiness probe asks whether the pod can take traffic; if it fails the pod is not restarted, it is \
just pulled out of the Service's endpoints so the load balancer stops sending it requests.";

fn keywords() -> Vec<String> {
    [
        "liveness | alive",
        "restart | restarts | kill",
        "readiness | ready",
        "traffic | requests",
        "health check | health checks",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn concept_parse_takes_first_alternative_as_label() {
    let c = Concept::parse(" liveness probe | liveness ").unwrap();
    assert_eq!(c.label, "liveness probe");
    assert_eq!(c.alternatives, vec!["liveness probe", "liveness"]);
    assert!(Concept::parse(" | ").is_none());
    assert_eq!(Concept::parse("x").unwrap().with_hint(Some("h".into())).hint.as_deref(), Some("h"));
}

#[test]
fn relation_parse_needs_exactly_two_sides() {
    let r = Relation::parse("liveness probe & restart").unwrap();
    assert_eq!((r.left.as_str(), r.right.as_str()), ("liveness probe", "restart"));
    assert!(Relation::parse("a & b & c").is_none());
    assert!(Relation::parse("a &").is_none());
    assert!(Relation::parse("a").is_none());
}

#[test]
fn correct_answer_beats_vague_and_offtopic() {
    let good = grade(Q, R, &keywords(), "Liveness checks if the app is alive and if it fails the kubelet restarts the container. Readiness checks if the pod is ready for traffic; failing it removes the pod from the service, no restart. Both are health checks.");
    let vague = grade(Q, R, &keywords(), "Probes are a Kubernetes feature for checking things.");
    let off = grade(Q, R, &keywords(), "I don't know, we used Datadog for monitoring.");
    assert!(good.score > 0.7, "{good:?}");
    assert!(vague.score < 0.4, "{vague:?}");
    assert!(off.score < 0.1, "{off:?}");
    assert_eq!(good.band, Band::Strong);
    assert_eq!(off.band.to_string(), "off-topic");
}

#[test]
fn swapped_relations_score_low() {
    let good = grade(Q, R, &keywords(), "If the liveness probe fails, the container is restarted. If the readiness probe fails, the pod stops getting traffic.");
    let swapped = grade(Q, R, &keywords(), "If the liveness probe fails, the pod stops getting traffic. If the readiness probe fails, the container is restarted.");
    assert!(swapped.score < good.score - 0.3, "good {} swapped {}", good.score, swapped.score);
    assert!(!swapped.contradicted().is_empty());
}

#[test]
fn negation_marks_contradicted_with_span() {
    let p = PreparedQuestion::new(
        Q,
        "A liveness probe restarts the container.",
        &[Concept::parse("restart | restarts").unwrap()],
        &[],
        &Corpus::default(),
    );
    let answer = "A liveness probe never restarts anything.";
    let r = p.grade_concept(0, answer).unwrap();
    assert_eq!(r.status, ConceptStatus::Contradicted);
    assert_eq!(&answer[r.spans[0].start..r.spans[0].end], "restarts");
    assert!(p.grade_concept(5, answer).is_none());
}

#[test]
fn missed_concepts_get_hints() {
    let concepts = vec![
        Concept::parse("traffic").unwrap().with_hint(Some("Say what happens to traffic.".into())),
        Concept::parse("restart").unwrap(),
    ];
    let p = PreparedQuestion::new(Q, R, &concepts, &[], &Corpus::default());
    let g = p.grade("Liveness is a health check.");
    assert_eq!(g.missed(), vec!["traffic", "restart"]);
    assert_eq!(g.concepts[0].hint, "Say what happens to traffic.");
    assert!(g.concepts[1].hint.contains("restart"));
    assert!(!g.feedback.is_empty());
}

#[test]
fn typos_still_match() {
    let g = grade(Q, R, &keywords(), "Livenes probe checks if the app is alive, if it failes Kubernets restarts the containr. Readyness probe checks if the app is redy for trafic.");
    assert!(g.covered().len() >= 4, "{:?}", g.covered());
}

#[test]
fn derives_concepts_without_keywords() {
    let p = PreparedQuestion::new(Q, R, &[], &[], &Corpus::from_documents([R, "Docker images are templates."]));
    assert!(p.concepts().len() >= 4);
    assert!(p.concepts_are_derived());
    let good = p.grade("Liveness failing gets the container restarted by the kubelet; readiness failing pulls the pod out of the service endpoints so it gets no traffic.");
    let bad = p.grade("We used Ansible to deploy to VMs.");
    assert!(good.score > bad.score + 0.4, "{} vs {}", good.score, bad.score);
}

#[test]
fn authored_relations_are_used() {
    let concepts: Vec<Concept> = keywords().iter().filter_map(|k| Concept::parse(k)).collect();
    let rels = vec![Relation::parse("liveness & restart").unwrap(), Relation::parse("readiness & traffic").unwrap()];
    let p = PreparedQuestion::new(Q, R, &concepts, &rels, &Corpus::default());
    let swapped = p.grade("Liveness decides traffic. Readiness restarts the container.");
    let good = p.grade("Liveness restarts the container. Readiness decides traffic.");
    assert!(swapped.components.relations_crosswise >= 2, "{:?}", swapped.components);
    assert!(good.score > swapped.score);
}

#[test]
fn grade_serialises_with_expected_names() {
    let g = grade(Q, R, &keywords(), "");
    let json = serde_json::to_string(&g).unwrap();
    assert!(json.contains("\"band\":\"off-topic\""), "{json}");
    assert!(json.contains("\"status\":\"missed\""));
}

#[test]
fn the_reference_itself_scores_strong() {
    for concepts in [keywords(), Vec::new()] {
        let g = grade(Q, R, &concepts, R);
        assert!(g.score > 0.9, "{} {:?}", g.score, g.components);
        assert_eq!(g.band, Band::Strong);
        assert!(g.contradicted().is_empty(), "{:?}", g.contradicted());
    }
}
