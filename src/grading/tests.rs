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
    assert_eq!(
        Concept::parse("x")
            .unwrap()
            .with_hint(Some("h".into()))
            .hint
            .as_deref(),
        Some("h")
    );
}

#[test]
fn relation_parse_needs_exactly_two_sides() {
    let r = Relation::parse("liveness probe & restart").unwrap();
    assert_eq!(
        (r.left.as_str(), r.right.as_str()),
        ("liveness probe", "restart")
    );
    assert!(Relation::parse("a & b & c").is_none());
    assert!(Relation::parse("a &").is_none());
    assert!(Relation::parse("a").is_none());
}

#[test]
fn correct_answer_beats_vague_and_offtopic() {
    let good = grade(Q, R, &keywords(), "Liveness checks if the app is alive and if it fails the kubelet restarts the container. Readiness checks if the pod is ready for traffic; failing it removes the pod from the service, no restart. Both are health checks.");
    let vague = grade(
        Q,
        R,
        &keywords(),
        "Probes are a Kubernetes feature for checking things.",
    );
    let off = grade(
        Q,
        R,
        &keywords(),
        "I don't know, we used Datadog for monitoring.",
    );
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
    assert!(
        swapped.score < good.score - 0.3,
        "good {} swapped {}",
        good.score,
        swapped.score
    );
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
        Concept::parse("traffic")
            .unwrap()
            .with_hint(Some("Say what happens to traffic.".into())),
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
    let p = PreparedQuestion::new(
        Q,
        R,
        &[],
        &[],
        &Corpus::from_documents([R, "Docker images are templates."]),
    );
    assert!(p.concepts().len() >= 4);
    assert!(p.concepts_are_derived());
    let good = p.grade("Liveness failing gets the container restarted by the kubelet; readiness failing pulls the pod out of the service endpoints so it gets no traffic.");
    let bad = p.grade("We used Ansible to deploy to VMs.");
    assert!(
        good.score > bad.score + 0.4,
        "{} vs {}",
        good.score,
        bad.score
    );
}

#[test]
fn authored_relations_are_used() {
    let concepts: Vec<Concept> = keywords()
        .iter()
        .filter_map(|k| Concept::parse(k))
        .collect();
    let rels = vec![
        Relation::parse("liveness & restart").unwrap(),
        Relation::parse("readiness & traffic").unwrap(),
    ];
    let p = PreparedQuestion::new(Q, R, &concepts, &rels, &Corpus::default());
    let swapped = p.grade("Liveness decides traffic. Readiness restarts the container.");
    let good = p.grade("Liveness restarts the container. Readiness decides traffic.");
    assert!(
        swapped.components.relations_crosswise >= 2,
        "{:?}",
        swapped.components
    );
    assert!(good.score > swapped.score);
}

#[test]
fn grade_serialises_with_expected_names() {
    let g = grade(Q, R, &keywords(), "");
    let json = serde_json::to_string(&g).unwrap();
    assert!(json.contains("\"band\":\"off-topic\""), "{json}");
    assert!(json.contains("\"status\":\"missed\""));
}

/// A question from another field, never used for tuning: the kinds must still order.
mod other_field {
    use super::*;

    pub const Q: &str = "What's the difference between TCP and UDP?";
    pub const R: &str = "TCP is connection-oriented: it sets up a connection with a handshake, guarantees \
delivery and ordering by acknowledging and retransmitting lost packets, and applies flow and congestion \
control, at the cost of extra latency and overhead. UDP is connectionless: it just sends datagrams with no \
handshake, no delivery or ordering guarantees and no retransmission, so it is lighter and faster. That makes \
UDP a good fit for real-time traffic like video calls, gaming or DNS, and TCP the choice for web pages, file \
transfers and anything that must arrive intact.";
    pub const STRONG: &str = "TCP sets up a connection first with a three-way handshake and then guarantees that \
everything arrives, in order, retransmitting anything lost. UDP skips all that: no connection, no guarantees, \
packets may be lost or reordered, but it's faster with less overhead, which is why video calls and games use \
it while web traffic uses TCP.";
    const SWAPPED: &str = "UDP sets up a connection with a handshake and guarantees delivery and ordering by \
retransmitting lost packets. TCP is connectionless and just fires off datagrams with no guarantees, so it's \
faster and it is what video calls and gaming use.";
    const PARTIAL: &str = "TCP is reliable and makes sure data arrives, UDP is faster.";
    const STUFFED: &str =
        "TCP, UDP, handshake, connection, reliable, ordering, datagrams, faster, video, DNS.";
    const OFF: &str = "I'm not sure, I mostly work on the frontend with React.";

    fn scores(p: &PreparedQuestion) -> [f64; 5] {
        [STRONG, SWAPPED, PARTIAL, STUFFED, OFF].map(|a| p.grade(a).score)
    }

    fn check(p: &PreparedQuestion) {
        let [strong, swapped, partial, stuffed, off] = scores(p);
        let all = format!("strong {strong:.2} swapped {swapped:.2} partial {partial:.2} stuffed {stuffed:.2} off {off:.2}");
        assert!(strong > 0.65, "{all}");
        assert!(strong > partial + 0.15, "{all}");
        assert!(swapped < strong - 0.3, "{all}");
        assert!(stuffed < strong - 0.3, "{all}");
        assert!(off < 0.1, "{all}");
    }

    #[test]
    fn with_keywords() {
        let concepts: Vec<Concept> = [
            "connection | connection-oriented | handshake",
            "guarantees delivery | reliable | retransmit | arrives",
            "ordering | in order",
            "connectionless | no connection | datagrams",
            "faster | lighter | less overhead | low latency",
            "video | gaming | games | dns | real-time",
        ]
        .iter()
        .filter_map(|k| Concept::parse(k))
        .collect();
        check(&PreparedQuestion::new(
            Q,
            R,
            &concepts,
            &[],
            &Corpus::default(),
        ));
    }

    #[test]
    fn without_keywords() {
        check(&PreparedQuestion::new(Q, R, &[], &[], &Corpus::default()));
    }
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

/// A single-entity question from databases, never used for tuning.
mod databases {
    use super::*;

    const Q: &str = "What does a database index do, and what does it cost?";
    const R: &str = "An index is a separate data structure, usually a B-tree, that keeps a column's \
values sorted with pointers to the rows, so lookups, range queries and ORDER BY can avoid a full table scan. \
The cost is extra storage and slower writes, because every INSERT, UPDATE or DELETE must also update the index.";

    #[test]
    fn kinds_order_with_and_without_keywords() {
        let strong = "It's a sorted structure, typically a B-tree, over one or more columns that points back \
to the rows, so the database can find matching rows or scan a range without reading the whole table. \
The price is disk space and slower inserts and updates, since each write has to maintain the index too.";
        let partial = "An index makes queries faster.";
        let confused =
            "An index makes writes faster because the rows are kept sorted, while reads get \
slower since the database has to check the index first.";
        let off = "I usually just add more RAM to the database server when it gets slow.";
        let keywords: Vec<String> = [
            "b-tree | sorted | data structure",
            "avoid a full table scan | lookups | find rows | faster reads | range",
            "storage | disk space | space",
            "slower writes | write overhead | inserts | updates",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for k in [keywords, Vec::new()] {
            let s = |a: &str| grade(Q, R, &k, a).score;
            let (st, pa, co, of) = (s(strong), s(partial), s(confused), s(off));
            let all = format!("strong {st:.2} partial {pa:.2} confused {co:.2} off {of:.2}");
            assert!(st > 0.6 && st > pa + 0.2, "{all}");
            assert!(co < st - 0.3, "{all}");
            assert!(of < 0.12, "{all}");
        }
    }
}

/// A process question with several actors (security), never used for tuning.
mod oauth {
    use super::*;

    const Q: &str = "How does the OAuth 2.0 authorization code flow work?";
    const R: &str = "The client redirects the user to the authorization server. The authorization server \
authenticates the user and asks for consent, then redirects back to the client with a short-lived \
authorization code. The client exchanges that code, together with its client secret or a PKCE verifier, at \
the token endpoint for an access token. The client then calls the resource server with the access token, and \
the resource server validates the token before returning data.";

    #[test]
    fn swapped_actors_score_far_below_a_paraphrase() {
        let strong = "First the app sends the user's browser to the authorization server, where the user \
logs in and approves access. The authorization server redirects back to the app with a one-time code. The \
app's backend trades that code plus its secret (or a PKCE verifier) for an access token at the token \
endpoint, and then uses the token to call the API, which validates it.";
        let confused = "The resource server redirects the user to the client, and the client authenticates \
the user and issues an access token. The authorization server then exchanges the token for a code and \
validates it before returning data.";
        for k in [
            vec![
                "authorization code | code".to_string(),
                "access token | token".to_string(),
                "exchanges | trades | swaps".to_string(),
                "redirects | redirect".to_string(),
                "client secret | pkce | secret".to_string(),
            ],
            Vec::new(),
        ] {
            let (st, co) = (
                grade(Q, R, &k, strong).score,
                grade(Q, R, &k, confused).score,
            );
            assert!(st > 0.6, "strong {st:.2} confused {co:.2}");
            assert!(co < st - 0.25, "strong {st:.2} confused {co:.2}");
        }
    }
}
