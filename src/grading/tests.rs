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

/// An author's negated alternative ("not shared") under a negation the clause reader
/// cannot tie to it ("must not do it on a branch that is already pushed and shared") is
/// not read as the opposite; said plainly, or past a comma from the cue, it still is.
#[test]
fn an_authored_negation_said_further_back_in_the_sentence_is_not_contradicted() {
    let question = "What's the difference between git merge and git rebase?";
    let p = PreparedQuestion::new(
        question,
        "Rebase rewrites history, so you should not rebase commits that are already pushed and shared with others.",
        &[Concept::parse("shared branches | pushed commits | not shared").unwrap()],
        &[],
        &Corpus::default(),
    );
    let status = |a: &str| p.grade_concept(0, a).unwrap().status;
    for a in [
        "Rebase rewrites history, so you must not do it on a branch that is already pushed and shared with the team, no?",
        "Never rebase a branch that somebody else already pulled and shared.",
    ] {
        assert_ne!(status(a), ConceptStatus::Contradicted, "{a}");
    }
    for a in [
        "Rebasing is fine even when the work is shared with the team.",
        "It does not matter, rebase anything, even what is shared with the team.",
    ] {
        assert_eq!(status(a), ConceptStatus::Contradicted, "{a}");
    }
}

#[test]
fn a_plain_negated_mention_is_missed_and_an_authored_negation_left_out_is_contradicted() {
    let p = PreparedQuestion::new(
        Q,
        "A readiness probe does not restart the container; it is not a liveness check.",
        &[Concept::parse("restart | restarts").unwrap(), Concept::parse("not a liveness check").unwrap()],
        &[],
        &Corpus::default(),
    );
    // The reference negates "restart" too: saying it negated agrees.
    assert_eq!(p.grade_concept(0, "It never restarts anything.").unwrap().status, ConceptStatus::Covered);
    let q = PreparedQuestion::new(
        Q,
        "A liveness probe restarts the container.",
        &[Concept::parse("restart | restarts").unwrap()],
        &[],
        &Corpus::default(),
    );
    // Negated where the reference asserts it: no coverage, and no "got wrong" either.
    assert_eq!(q.grade_concept(0, "A liveness probe never restarts anything.").unwrap().status, ConceptStatus::Missed);
    // The author's negated alternative said without its negation is a contradiction,
    // quoted and highlighted.
    let answer = "A readiness probe is a liveness check.";
    let r = p.grade_concept(1, answer).unwrap();
    assert_eq!(r.status, ConceptStatus::Contradicted);
    assert_eq!(&answer[r.spans[0].start..r.spans[0].end], "a liveness check");
    assert!(r.hint.starts_with("Check:") && r.hint.contains("\"a liveness check\""), "{}", r.hint);
    assert!(p.grade_concept(5, answer).is_none());
}

/// A concept the model answer names only as what it turns down ("instead of a full
/// table scan", "avoids making copies") is stated by an answer that denies it; one the
/// model answer also asserts elsewhere is not.
#[test]
fn denying_what_the_model_answer_turns_down_covers_it() {
    let scan = [Concept::parse("full table scan | scan | scanning").unwrap()];
    for reference in [
        "An index finds rows in logarithmic time instead of a full table scan.",
        "An index finds rows in logarithmic time rather than with a full table scan.",
        "An index avoids a full table scan.",
    ] {
        let p = PreparedQuestion::new("How does an index help?", reference, &scan, &[], &Corpus::default());
        for answer in ["The database finds rows without scanning.", "It means no full table scan.", "It does a scan."] {
            assert_eq!(p.grade_concept(0, answer).unwrap().status, ConceptStatus::Covered, "{reference} / {answer}");
        }
    }
    let p = PreparedQuestion::new(
        "How does an index help?",
        "Without an index the database does a full table scan. An index avoids a full table scan.",
        &scan,
        &[],
        &Corpus::default(),
    );
    assert_eq!(p.grade_concept(0, "It finds rows without scanning.").unwrap().status, ConceptStatus::Missed);
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

fn prepared(question: &str, reference: &str, keywords: &[&str], relations: &[&str]) -> PreparedQuestion {
    let concepts: Vec<Concept> = keywords.iter().filter_map(|k| Concept::parse(k)).collect();
    let relations: Vec<Relation> = relations.iter().filter_map(|r| Relation::parse(r)).collect();
    PreparedQuestion::new(question, reference, &concepts, &relations, &Corpus::default())
}

#[test]
fn a_missed_concept_the_model_answer_never_names_is_not_said_to_be_in_it() {
    let p = prepared(
        "What does a load balancer do?",
        "A load balancer spreads requests across servers and stops sending traffic to unhealthy ones.",
        &["spreads | distributes", "unhealthy | health checks", "sticky sessions | session affinity"],
        &[],
    );
    let g = p.grade("It sends each request to some server.");
    let hint = |label: &str| g.concepts.iter().find(|c| c.label == label).map(|c| c.hint.clone()).unwrap_or_default();
    assert!(hint("unhealthy").starts_with("The model answer also covers unhealthy"), "{:?}", g.concepts);
    assert!(hint("sticky sessions").starts_with("This question also asks about sticky sessions"), "{:?}", g.concepts);
}

#[test]
fn reference_is_strong_against_its_own_authored_relations() {
    // The reference words the second entity's term in a clause that the clause
    // analysis attributes to the first entity ("Feeding the compiler ..., which ...").
    let p = prepared(
        "What's the difference between a compiler and an interpreter?",
        "A compiler translates the whole program ahead of time into machine code. Invoking \
         that compiler is unlike starting an interpreter, which executes the source line by \
         line while it reads it.",
        &["compiler | compilers", "ahead of time | before running", "interpreter", "line by line | one line at a time"],
        &["compiler & ahead of time", "interpreter & line by line"],
    );
    let reference = "A compiler translates the whole program ahead of time into machine code. \
         Invoking that compiler is unlike starting an interpreter, which executes the source \
         line by line while it reads it.";
    let own = p.grade(reference);
    assert_eq!(own.band, Band::Strong, "{own:?}");
    assert!(own.missed().is_empty() && own.contradicted().is_empty(), "{own:?}");
}

#[test]
fn hyphenated_term_does_not_match_one_of_its_parts() {
    let p = prepared(
        "Why are log files append-only?",
        "Log files are append-only: writers only add records at the end and never rewrite \
         old ones, which keeps every past entry intact.",
        &["append-only | never rewrite", "records | entries"],
        &[],
    );
    let g = p.grade("I append a note to my diary and then go for a walk.");
    assert!(g.covered().is_empty(), "{:?}", g.concepts);
    let g = p.grade("The file is append only, so old records stay intact.");
    assert!(g.covered().contains(&"append-only".to_string()), "{:?}", g.concepts);
}

#[test]
fn negation_inside_an_alternative_is_part_of_its_wording() {
    let p = prepared(
        "What does a feature flag give you?",
        "A feature flag is a runtime switch rather than a code branch, so you turn behaviour \
         on and off without deploying again.",
        &["runtime switch | not a code branch", "without deploying | no redeploy"],
        &[],
    );
    let stated = p.grade("It is not a code branch at all: you flip it while the app runs.");
    assert_eq!(stated.covered(), vec!["runtime switch".to_string()], "{:?}", stated.concepts);
    let opposite = p.grade("A feature flag is a code branch that you merge later.");
    assert!(!opposite.covered().contains(&"runtime switch".to_string()), "{:?}", opposite.concepts);
    assert!(opposite.contradicted().contains(&"runtime switch".to_string()));
}

/// An author's negated alternative said without its negation is no contradiction when
/// the answer reports it as a myth to reject it, or when its words are another concept
/// of the question (said of the other thing the question contrasts).
#[test]
fn a_negated_alternative_named_as_a_myth_or_as_another_concept_is_not_contradicted() {
    let namespaces = prepared(
        "What are namespaces used for in Kubernetes?",
        "A namespace is a virtual cluster inside one physical cluster. Namespaces are a logical boundary \
         rather than hard security isolation, because the pods still share the same nodes.",
        &["virtual cluster", "logical boundary | not hard security"],
        &[],
    );
    let myth = namespaces.grade(
        "Namespaces split one physical cluster into virtual ones. A common myth is that they're a hard security \
         boundary; they aren't, pods share the nodes.",
    );
    assert!(myth.contradicted().is_empty(), "{:?}", myth.concepts);
    let wrong = namespaces.grade("Namespaces are virtual clusters, and they are a hard security boundary.");
    assert!(wrong.contradicted().contains(&"logical boundary".to_string()), "{:?}", wrong.concepts);

    let volumes = prepared(
        "What's the difference between a PersistentVolume and a PersistentVolumeClaim?",
        "A PersistentVolume is the storage itself, a cluster-wide object in no namespace. A PersistentVolumeClaim \
         is a request for storage made inside a namespace.",
        &["cluster-wide | not namespaced", "namespace | namespaced", "request"],
        &[],
    );
    let right = volumes.grade(
        "A PersistentVolume is the storage, a cluster-level resource. A PersistentVolumeClaim is a namespaced request \
         for it.",
    );
    assert!(right.contradicted().is_empty(), "{:?}", right.concepts);
}

/// An author's negated alternative ("not instantiate", "doesn't create") is stated,
/// not contradicted, by an answer that turns the same act down in other words ("instead
/// of instantiating them itself", "rather than creating them", "avoids constructing"):
/// the strong answer of unseen25's dependency-injection question was told it got "instead
/// of creating" wrong. Saying the act plainly of the thing still contradicts it.
#[test]
fn a_negated_alternative_turned_down_in_other_words_is_stated() {
    let p = prepared(
        "What is dependency injection?",
        "With dependency injection a class receives its collaborators from outside, usually through its \
         constructor, instead of creating them itself. That decouples it from concrete classes and lets tests pass \
         in a fake.",
        &[
            "from outside | passed in | constructor",
            "instead of creating | doesn't create | not instantiate",
            "fake | mock",
        ],
        &[],
    );
    for answer in [
        "The class gets its dependencies handed in through the constructor instead of instantiating them itself, so \
         a test can give it a mock.",
        "Its collaborators are passed in from outside rather than it instantiating them, and tests pass a fake.",
        "The class avoids instantiating anything itself: a caller passes everything in, a fake in tests.",
    ] {
        let g = p.grade(answer);
        assert!(g.contradicted().is_empty(), "{answer}: {:?}", g.concepts);
    }
    let wrong = p.grade("The class instantiates its own dependencies, so tests cannot pass in a fake.");
    assert!(wrong.contradicted().contains(&"instead of creating".to_string()), "{:?}", wrong.concepts);
}

/// A thing named after "from" is where something comes from, not what the clause says
/// something about: "COPY --from the builder only the artifacts" ties the artifacts to
/// the final stage the sentence is about, not to the builder.
#[test]
fn a_thing_named_after_from_is_not_what_the_clause_is_about() {
    let p = prepared(
        "What is a multi-stage build and why would you use one?",
        "A multi-stage build is a Dockerfile with several FROM statements, where each FROM starts a new stage. The \
         first stage, the builder, has the compilers, build tools and dev dependencies needed to compile or install \
         everything. The final stage starts from a slim base image and uses COPY --from to pull in only the finished \
         artifacts, such as a binary or the installed packages. The toolchain never ships, so you end up with a much \
         smaller image that downloads faster and has a smaller attack surface.",
        &[
            "stages | stage | several from | multiple from",
            "builder | build stage | first stage",
            "build tools | compilers | toolchain",
            "final stage | last stage | runtime stage | second stage | later stage | runtime image",
            "copy --from | artifacts | copy the output",
            "smaller image | smaller | slimmer | attack surface",
        ],
        &["builder & build tools", "final stage & copy --from"],
    );
    let g = p.grade(
        "A multi-stage build is a Dockerfile with several FROM lines, each one starting a new stage. You do the heavy \
         work in an early stage, with the full toolchain, compilers and dev dependencies, and then in the final stage \
         you start from a small base image, like alpine or distroless, and COPY --from the builder only the artifacts \
         you need, say the compiled binary. The final image doesn't carry the build tools at all, so it's much smaller.",
    );
    assert!(g.components.conflicts.is_empty(), "{:?}", g.components.conflicts);
    assert!(g.contradicted().is_empty(), "{:?}", g.concepts);
}

#[test]
fn spans_cover_whole_words_and_phrases_need_their_generic_words() {
    let p = prepared(
        "How does the client handle a failing server?",
        "The client retries the request, backing off longer each time, and gives up after \
         five attempts.",
        &["retries | retry", "backing off | exponential backoff", "gives up | five attempts"],
        &[],
    );
    let answer = "The server comes back later, so nothing special happens.";
    let g = p.grade(answer);
    assert!(!g.covered().contains(&"backing off".to_string()), "{:?}", g.concepts);
    let answer = "The client retries, and the status shows RetryBackOff while it is backing off.";
    let g = p.grade(answer);
    let backing = g.concepts.iter().find(|c| c.label == "backing off").unwrap();
    assert_eq!(backing.status, ConceptStatus::Covered);
    for c in &g.concepts {
        for sp in &c.spans {
            let before = answer[..sp.start].chars().next_back();
            let after = answer[sp.end..].chars().next();
            assert!(
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric),
                "span {:?} of {} cuts a word",
                &answer[sp.start..sp.end],
                c.label
            );
        }
    }
}

/// Words of the feedback that are truncations of a word of the texts (a stem such as
/// "agenc" for "agency") rather than words as written.
fn stems_in(feedback: &str, texts: &[&str]) -> Vec<String> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let written: Vec<String> = texts.iter().flat_map(|t| words(t)).collect();
    words(feedback)
        .into_iter()
        .filter(|w| {
            w.len() >= 4
                && !written.contains(w)
                && written.iter().any(|x| x.len() > w.len() && x.starts_with(w.as_str()))
        })
        .collect()
}

#[test]
fn feedback_quotes_words_as_written_never_stems() {
    let question = "What is the difference between the librarian and the shipping agency?";
    let reference = "The librarian catalogues the requested volumes and approves each \
        reservation. The shipping agency delivers the parcels to the borrowers.";
    let keywords = [
        "librarian",
        "catalogues | cataloguing",
        "shipping agency | agency",
        "delivers | deliveries",
        "reservation | reservations",
    ];
    let p = prepared(question, reference, &keywords, &[]);
    let answers = [
        "The shipping agency catalogues the requested volumes and approves each reservation. \
         The librarian delivers the parcels to the borrowers.",
        "The librarian never catalogues anything; the agency delivers.",
        "Deliveries happen somehow.",
        "I would make a cup of tea.",
    ];
    let mut texts: Vec<&str> = vec![question, reference];
    texts.extend(keywords.iter());
    for answer in answers {
        let g = p.grade(answer);
        let mut all = texts.clone();
        all.push(answer);
        let mut said = vec![g.feedback.clone()];
        said.extend(g.concepts.iter().map(|c| c.hint.clone()));
        said.extend(g.components.conflicts.iter().cloned());
        for s in &said {
            let stems = stems_in(s, &all);
            assert!(stems.is_empty(), "{s:?} has stems {stems:?}");
        }
    }
    let swapped = p.grade(answers[0]);
    assert!(!swapped.components.conflicts.is_empty(), "{swapped:?}");
    assert!(swapped.feedback.contains("shipping agency"), "{}", swapped.feedback);
}

/// The stuffing cut is for bare lists of the question's terms. Code and example values
/// are short clauses too, but they are not term lists: on real student answers every
/// stuffing verdict on them was wrong.
#[test]
fn only_lists_of_terms_count_as_stuffing() {
    let queue = prepared(
        "How can you implement a queue with a linked list?",
        "Keep pointers to the front and the rear of the list. Enqueue adds a node at the rear and \
         dequeue removes the node at the front, both in constant time.",
        &[],
        &[],
    );
    let variable = prepared(
        "What is a variable?",
        "A named location in memory that holds a value of a given type, which the program can read and change.",
        &[],
        &[],
    );
    let salads = [
        (&queue, "Queue, list, front, rear, pointers, enqueue, dequeue, node, constant time."),
        (&variable, "Location, memory, value, type, name, program, read, change."),
        // The same with the commas left out, or one term per line.
        (&queue, "queue linked list front pointer rear pointer enqueue rear dequeue front node constant time O(1)"),
        (&queue, "queue\nlinked list\nfront pointer\nrear pointer\nenqueue\ndequeue\nnode\nconstant time"),
        (&variable, "Variable named location memory value type name program read change assignment."),
        // ... with hyphenated words or command-line flags among the terms, as typed in a
        // chat box (each once split the run short of a list).
        (&queue, "queue linked-list front-pointer rear-pointer enqueue dequeue node constant-time O(1) fifo"),
        (&queue, "so queue like linked list you know front pointer so rear --pointer like enqueue dequeue you know node"),
        // Glued with fillers instead of commas.
        (&queue, "so queue like linked list you know front pointer rear pointer so enqueue like dequeue you know node"),
        // A closing remark that names nothing the list did not does not dilute it.
        (&queue, "Queue, list, front, rear, pointers, enqueue, dequeue, node, constant time. That is basically how a queue works."),
        (&variable, "Variables: location, memory, value, type, name, program, read, change. Those are the main points about variables."),
        // "and" for the commas: a chain of short items, however it opens and closes.
        (&queue, "It's all about the queue and the list and pointers and the front and the rear and enqueue and dequeue."),
        (&variable, "A variable is memory and a name and a value and the type and reading and changing, basically."),
    ];
    for (p, answer) in salads {
        assert!(p.grade(answer).components.stuffing_factor < 0.7, "a term list is stuffing: {answer}");
    }
    let not_lists = [
        (&queue, "temp->next = NULL; if (front) { rear->next = temp; } else front = temp; rear = temp;"),
        (&queue, "void enqueue(int x) { node* n = new node(x); rear->next = n; rear = n; }"),
        (&variable, "A place to hold a value. For example an int can hold 1, 2, 3, 4, 68, 72, 256."),
        (&variable, "It holds data. A char can hold: A, B, C, D, E, F, 4, 5, 6."),
        // Terse prose, and one long run of terms inside sentences, are not lists.
        (&queue, "Front and rear pointers; enqueue at the rear, dequeue at the front, both O(1) time."),
        (
            &queue,
            "I keep two pointers. Typical singly linked list queue implementations keep head tail node pointers \
             updated, so that enqueue links a new node after the rear and dequeue unlinks the front one, and \
             both run in constant time without walking the list.",
        ),
        (&variable, "um so a variable is like a named box in memory that holds a value you can read and change"),
        (
            &queue,
            "The front pointer gives dequeue its node and the rear pointer gives enqueue its place, so both stay \
             constant time and you know where each end is.",
        ),
        // Facts joined by "and" once or twice are how terse answers are written.
        (&queue, "Front and rear pointers: enqueue adds at the rear and dequeue removes at the front and both are O(1)."),
        (&variable, "A named location and a type and a value, which the program reads and changes."),
        // Notes: bullet lines that say something, and items tied by arrows.
        (
            &queue,
            "Queue on a linked list:\n- front pointer for dequeue\n- rear pointer for enqueue\n- new node at the rear\n\
             - remove at the front\n- both in O(1)\n- empty when front is null",
        ),
        (&queue, "enqueue → new node → rear.next → rear; dequeue → front → front.next; empty → front = null; O(1) each"),
        // Short items, then a sentence that says something the items did not.
        (
            &variable,
            "Name, type, value. A variable is a named location in memory that holds a value the program can read and change later.",
        ),
    ];
    for (p, answer) in not_lists {
        assert_eq!(p.grade(answer).components.stuffing_factor, 1.0, "not a term list: {answer}");
    }
}

/// A phrase that keeps one content word ("own kernel") may stand for its concept on
/// that word alone only when no other concept of the question uses the word: "host
/// kernel" must not also count as a VM's "own kernel".
#[test]
fn a_word_two_concepts_share_does_not_cover_both() {
    let q = "How is a container different from a virtual machine?";
    let r = "A VM boots a full guest operating system with its own kernel on a hypervisor; \
             containers share the host kernel and are isolated with namespaces.";
    let keywords = vec![
        "guest operating system | own kernel".to_string(),
        "share the host kernel | host kernel".to_string(),
        "hypervisor".to_string(),
    ];
    let status = |answer: &str, label: &str| {
        let g = grade(q, r, &keywords, answer);
        g.concepts.iter().find(|c| c.label == label).map(|c| c.status)
    };
    let containers = "Containers share the host kernel and are isolated with namespaces.";
    assert_eq!(status(containers, "share the host kernel"), Some(ConceptStatus::Covered));
    assert_eq!(status(containers, "guest operating system"), Some(ConceptStatus::Missed));
    let vms = "Each VM runs its own kernel on top of a hypervisor.";
    assert_eq!(status(vms, "guest operating system"), Some(ConceptStatus::Covered));
}

/// "Fail to", "forget to", "neglect to" and "refuse to" deny what follows as "not" does:
/// an author's negated alternative ("not closed") is stated by them, and never read as
/// its opposite; denied themselves ("don't forget to close"), they deny nothing.
#[test]
fn negating_verbs_deny_what_follows_them() {
    let question = "What happens when a process runs out of file descriptors?";
    let reference = "Opening files fails with too many open files. The usual cause is a leak: descriptors not closed.";
    let keywords = vec!["leak | not closed".to_string(), "too many open files".to_string()];
    let status = |answer: &str| {
        let g = grade(question, reference, &keywords, answer);
        g.concepts.iter().find(|c| c.label == "leak").map(|c| c.status)
    };
    for answer in [
        "If a program keeps opening files and forgets to close them, opening fails with too many open files.",
        "A server that fails to close its sockets runs out, and open says too many open files.",
        "The code neglected to close each file, so too many open files came back.",
    ] {
        assert_eq!(status(answer), Some(ConceptStatus::Covered), "{answer}");
    }
    for answer in [
        "Don't forget to close them, or open fails with too many open files.",
        "A careful server never fails to close its sockets, so it never sees too many open files.",
    ] {
        assert_ne!(status(answer), Some(ConceptStatus::Covered), "{answer}");
    }
}

/// Every alternative an author wrote for an entity of a relation names it, not only the
/// stem that sorts last ("entrypoint" as well as "entry point"); a relative clause
/// right after an entity ("CMD, which acts as ...") is about that entity; and what a
/// model-answer sentence says about a second entity ("ENTRYPOINT sets the executable,
/// while CMD supplies the default arguments") is not tied to the first one. So a full
/// CMD/ENTRYPOINT swap is caught, in several wordings, and correct answers that name
/// the two in any order, with relative clauses, are not told they got anything wrong.
/// The CMD/ENTRYPOINT question with authored relations ...
fn cmd_entrypoint() -> PreparedQuestion {
    prepared(
        "What's the difference between CMD and ENTRYPOINT?",
        "ENTRYPOINT sets the executable the container always runs, while CMD supplies the default arguments or a \
         default command. Anything you type after the image name in docker run replaces CMD, but ENTRYPOINT stays \
         unless you pass --entrypoint explicitly. The common pattern is ENTRYPOINT for the fixed program and CMD \
         for default flags, so users can override just the flags.",
        &[
            "entrypoint | entry point",
            "executable | fixed program | main process | program | binary",
            "cmd | the cmd",
            "default arguments | default command | defaults",
            "replaces | overridden | override | replaced",
        ],
        &["entrypoint & executable", "cmd & default arguments", "cmd & replaces"],
    )
}

/// ... and answers that swap the two, in several wordings.
const CMD_ENTRYPOINT_SWAPS: [&str; 3] = [
    "ENTRYPOINT just sets default arguments, and anything you type after the image name replaces it. CMD is the \
     fixed executable that always runs.",
    "The entry point holds the default arguments and gets replaced by whatever you pass to docker run. CMD is \
     the main process, the binary that always runs.",
    "CMD is the executable the container always runs. ENTRYPOINT supplies the default arguments, and anything \
     after the image name replaces the ENTRYPOINT.",
];

#[test]
fn every_written_alternative_names_an_authored_entity() {
    let p = cmd_entrypoint();
    let swapped = CMD_ENTRYPOINT_SWAPS;
    let right = [
        "ENTRYPOINT is the executable that always runs. CMD gives the default arguments, and anything you type \
         after the image name replaces CMD.",
        "With ENTRYPOINT set to the app binary, the arguments after the image name replace only CMD, which acts as \
         the default arguments, so users can change flags without losing the program.",
        "CMD supplies the default arguments and is replaced by what you pass to docker run; the entry point is the \
         fixed program, which only --entrypoint overrides.",
    ];
    for a in swapped {
        let g = p.grade(a);
        assert!(g.components.relations_crosswise >= 2 && !g.contradicted().is_empty(), "{a}: {:?}", g.components);
    }
    for a in right {
        let g = p.grade(a);
        assert_eq!(g.components.relations_crosswise, 0, "{a}: {:?}", g.components);
        assert!(g.contradicted().is_empty() && g.score >= 0.7, "{a}: {} {:?}", g.score, g.components);
    }
}

/// A check about a term said of the wrong thing quotes the learner's statement (the
/// words before the term in its clause), not the bare term: every check of every
/// swapped answer quotes two words or more, all of them the learner's, in order.
#[test]
fn a_swap_check_quotes_the_statement_not_a_bare_word() {
    let p = cmd_entrypoint();
    // However the learner spaced it, the quote is one line.
    let spaced = CMD_ENTRYPOINT_SWAPS[2].replace(", and", ",   and");
    let swapped = CMD_ENTRYPOINT_SWAPS.iter().copied().chain([spaced.as_str()]);
    for a in swapped {
        let g = p.grade(a);
        let flat = a.split_whitespace().collect::<Vec<_>>().join(" ");
        let quotes: Vec<&str> = g
            .components
            .conflicts
            .iter()
            .filter_map(|c| c.strip_prefix("Check: is \"").and_then(|r| r.split('"').next()))
            .collect();
        assert!(!quotes.is_empty(), "{a}: {:?}", g.components.conflicts);
        for q in quotes {
            assert!(q.split_whitespace().count() >= 2 && flat.contains(q), "{q:?} in {a}");
        }
    }
}

/// A sentence that defines one side with the other's authored term is checked, and the
/// check quotes the term through the noun it qualifies, even when the term holds a stop
/// word ("read-only": "only"); the scores of the right answers are untouched.
#[test]
fn a_definition_with_the_other_sides_term_is_checked_and_quoted_whole() {
    let p = prepared(
        "What's the difference between a Docker image and a container?",
        "An image is a read-only template built from a Dockerfile. Running that image gives you a container, \
         which is a running instance with a thin writable layer on top.",
        &["image", "read-only | template", "container", "running instance | instance"],
        &["image & read-only", "container & running instance"],
    );
    let g = p.grade("The container is a read-only template.");
    assert!(
        g.components.conflicts.iter().any(|c| c.contains("\"The container is a read-only template\"")),
        "{:?}",
        g.components.conflicts
    );
    assert!(g.score < 0.5, "{}", g.score);
    for right in [
        "An image is a read-only template, and a container is a running instance of it.",
        "A container is an instance of a read-only image.",
        "A container is not read-only: it is a running instance with a writable layer.",
    ] {
        let g = p.grade(right);
        assert!(g.components.conflicts.is_empty(), "{right}: {:?}", g.components.conflicts);
    }
}

/// The probes question, without misconceptions ...
fn probes() -> PreparedQuestion {
    prepared(
        "What is the difference between a liveness probe and a readiness probe?",
        "A liveness probe checks whether the container is still healthy; if it fails, the kubelet restarts \
         the container. A readiness probe checks whether the pod can take traffic; if it fails, the pod is \
         removed from the Service's endpoints and gets no requests, but it is not restarted.",
        &["liveness", "readiness", "restart | restarts", "traffic | endpoints | requests"],
        &[],
    )
}

/// ... and with one anticipated misconception, as an author writes it.
fn probes_with_misconception() -> PreparedQuestion {
    probes().with_misconceptions(&[Misconception {
        subject: "readiness | readiness probe".into(),
        claim: "restarts the container | restarts the pod | restart".into(),
        correction: "A failing readiness probe only takes the pod out of the Service's endpoints; the liveness \
                     probe is what restarts the container."
            .into(),
    }])
}

/// An answer that makes an anticipated wrong claim loses points and is shown the
/// author's correction with its own words quoted; the same answers without the claim,
/// and correct answers that mention the claim only to deny or report it, are not
/// flagged.
#[test]
fn an_anticipated_misconception_is_a_check_with_the_authors_correction() {
    let p = probes_with_misconception();
    let wrong = [
        "Liveness checks the container is healthy. If the readiness probe fails, Kubernetes restarts the container \
         and it gets no traffic meanwhile.",
        "The readiness probe restarts the pod when it hangs; the liveness probe just checks it is alive.",
        "Readiness decides if the pod gets requests, and when readiness fails the kubelet will restart it. \
         Liveness is a health check.",
    ];
    let right = [
        "Liveness checks the container is healthy and a failure restarts the container. If the readiness probe \
         fails, the pod is taken out of the endpoints and gets no traffic.",
        "A failing readiness probe does not restart the container: it only removes the pod from the Service's \
         endpoints. Liveness is the one that restarts it.",
        "People often think the readiness probe restarts the container, but it only stops traffic to the pod; \
         the liveness probe restarts it.",
        "The liveness probe restarts the container when it is stuck. Readiness only controls traffic.",
    ];
    for answer in wrong {
        let g = p.grade(answer);
        let without = p.clone().with_rules(RuleSet::default().without(Rule::Misconception)).grade(answer);
        assert_eq!(g.components.misconceptions, 1, "{answer}");
        assert!(g.score < without.score, "{answer}: {} vs {}", g.score, without.score);
        assert!(
            g.feedback.contains("Check: you said") && g.feedback.contains("liveness probe is what restarts"),
            "{}",
            g.feedback
        );
    }
    for answer in right {
        let g = p.grade(answer);
        assert_eq!(g.components.misconceptions, 0, "{answer}: {}", g.feedback);
        assert!(g.components.conflicts.is_empty(), "{answer}: {:?}", g.components.conflicts);
    }
    // Without misconceptions the question grades as before.
    let plain = probes();
    for answer in wrong.iter().chain(&right) {
        let off = p.clone().with_rules(RuleSet::default().without(Rule::Misconception)).grade(answer);
        assert_eq!(plain.grade(answer).score, off.score, "{answer}");
    }
}

/// One misconception takes two thirds of the rule's cut, so it cannot sink an answer
/// that is otherwise right: the answer keeps more than half of its score.
#[test]
fn one_misconception_takes_a_bounded_share_of_the_score() {
    let p = probes_with_misconception();
    let answer = "Liveness checks the container is healthy and a failure restarts it. Readiness decides whether \
                  the pod is in the Service's endpoints and gets traffic; when readiness fails it restarts the pod too.";
    let g = p.grade(answer);
    let without = p.clone().with_rules(RuleSet::default().without(Rule::Misconception)).grade(answer);
    assert_eq!(g.components.misconceptions, 1);
    assert!(g.score > 0.5 * without.score, "{} vs {}", g.score, without.score);
}

/// Two contrasts a study-group author wrote in a walk-through, with the keywords as
/// typed there: correct answers said in one sentence or with the sides in another
/// order get no check, and answers that swap the two sides get checks.
fn contrasts_from_a_walk_through() -> Vec<(PreparedQuestion, Vec<&'static str>, Vec<&'static str>)> {
    let hashing = prepared(
        "What's the difference between hashing and encryption? How should you store passwords?",
        "Encryption is two-way: data is transformed with a key and anyone with the right key can decrypt it back \
         to the original, so it protects the confidentiality of data you need to read again. Hashing is one-way: \
         a hash function maps input to a fixed-size digest and there is no key to reverse it; the same input \
         always gives the same hash, which is useful for integrity checks and comparing values. Passwords should \
         be hashed, never encrypted, using a slow, salted password hashing algorithm like bcrypt, scrypt or \
         Argon2, so a leaked database can't simply be decrypted and each guess is expensive. The salt is a random \
         per-user value that defeats rainbow tables and makes identical passwords hash differently.",
        &[
            "two-way | reversible | decrypt | decrypted",
            "key | secret key",
            "one-way | irreversible | can't be reversed | cannot be reversed",
            "fixed size | fixed-size | digest",
            "salt | salted | salting",
            "bcrypt | argon2 | scrypt | pbkdf2 | slow hash",
        ],
        &[],
    );
    let locking = prepared(
        "Explain optimistic vs pessimistic locking. When would you use each?",
        "Pessimistic locking assumes conflicts are likely, so it locks the row when you read it (for example \
         SELECT ... FOR UPDATE) and other transactions wait until the lock is released. Optimistic locking \
         assumes conflicts are rare: it doesn't lock anything, it reads a version number or timestamp along \
         with the row, and when writing it checks that the version hasn't changed; if it has, the update fails \
         and the application retries. Pessimistic fits high-contention data where retries would be expensive, \
         like decrementing inventory or account balances, but it costs throughput and risks deadlocks. \
         Optimistic fits low-contention, read-heavy workloads and long user think-time, like editing a form, \
         because nothing is held while the user works.",
        &[
            "lock the row | locks the row | select for update | for update",
            "wait | block | blocked",
            "version number | version | timestamp | version column",
            "retry | retries | update fails | conflict detected",
            "high contention | conflicts are likely | frequent conflicts",
            "low contention | conflicts are rare | read-heavy",
            "deadlock | deadlocks",
        ],
        &[],
    );
    let tcp = prepared(
        "What's the difference between TCP and UDP, and when would you pick UDP?",
        "TCP is connection-oriented: it sets up a connection with a three-way handshake, then guarantees reliable, \
         in-order delivery using sequence numbers, acknowledgements and retransmission of lost segments, plus \
         flow control and congestion control. UDP is connectionless: it just sends independent datagrams with no \
         handshake, no acknowledgements and no ordering guarantee, so packets can be lost, duplicated or arrive \
         out of order. That makes UDP lower latency and lower overhead. You pick UDP for real-time traffic like \
         video calls, online games or DNS lookups, where a late packet is useless and the application can \
         tolerate or handle loss itself.",
        &[
            "connection-oriented | connection oriented | handshake | syn",
            "reliable | guaranteed delivery | retransmit | retransmission | acks | sent again | resend",
            "in order | ordering | sequence numbers",
            "connectionless | no handshake | no setup",
            "lower latency | low overhead | faster | lightweight | quick",
            "real-time | video | games | gaming | dns | streaming",
        ],
        &[],
    );
    vec![
        (
            tcp,
            vec![
                "TCP gives you an actual connection, there's the SYN, SYN-ACK, ACK exchange first, and then it makes \
                 sure every byte gets there and in the right order: anything that isn't acked gets sent again. UDP \
                 skips all of that: no setup, no acks, no resending. It's lightweight and quick, so you'd use it for \
                 video calls, games or DNS.",
                "UDP is connectionless and lower latency, good for games; TCP is connection-oriented and reliable, \
                 with retransmission and ordering.",
            ],
            vec![
                "UDP is the reliable one: it does a handshake first and resends lost packets, so it's \
                 connection-oriented. TCP is connectionless and just fires datagrams, which makes it lower latency, \
                 so you use TCP for video calls and games.",
            ],
        ),
        (
            hashing,
            vec![
                "Encryption is reversible with the key and a hash is one-way, so store passwords hashed with bcrypt \
                 and a salt.",
                "A lot of people think passwords should be encrypted, but they should be hashed with bcrypt and a \
                 salt, since encryption is reversible with the key and a hash is one-way.",
                "Store passwords hashed, not encrypted, with bcrypt and a random salt: a hash is one-way and has a \
                 fixed size, while encryption can be decrypted by anyone holding the key.",
                "Hashing is one-way, there's no key to undo it and you get a fixed-size digest. Encryption is \
                 two-way with a key. Passwords get a salted slow hash like Argon2.",
            ],
            vec![
                "Hashing uses a key so you can decrypt it back to the original, while encryption maps the input to \
                 a fixed-size digest. Store passwords encrypted.",
                "Encryption is one-way and gives a fixed-size digest, while hashing uses a key to decrypt the data \
                 back to the original.",
            ],
        ),
        (
            locking,
            vec![
                "Pessimistic locking grabs the lock up front with SELECT FOR UPDATE and others wait; optimistic \
                 doesn't lock but checks a version number on write and retries. Pessimistic is better under high \
                 contention, optimistic when conflicts are rare.",
                "Optimistic locking doesn't hold any lock while you work: you read the row with its version number \
                 and retry if it changed. Pessimistic locking locks the row up front so other writers block; it \
                 suits high contention but risks deadlocks.",
            ],
            vec![
                "Optimistic locking takes the lock up front: you do SELECT FOR UPDATE and everyone else waits. \
                 Pessimistic locking doesn't lock anything; it stores a version number and on write it checks it \
                 and retries if someone changed it. You use optimistic when there's high contention and \
                 pessimistic when conflicts are rare.",
            ],
        ),
    ]
}

/// What a model answer denies is not a binding: "passwords should be hashed, never
/// encrypted, using bcrypt" does not say bcrypt of encryption, and "there is no key to
/// reverse it" does not say reversing of hashing. Read as bindings, they made correct
/// one-sentence answers swaps ("Check: is "a salt" said about the right thing?").
/// And a head noun the question shares between its two sides ("optimistic vs
/// pessimistic locking") names both, so "pessimistic is safer" is about pessimistic
/// locking and a swapped answer is caught.
#[test]
fn contrasts_are_read_through_denials_and_shared_head_nouns() {
    for (p, right, swapped) in contrasts_from_a_walk_through() {
        for a in right {
            let g = p.grade(a);
            assert!(g.components.conflicts.is_empty(), "{a}: {:?}", g.components.conflicts);
            assert!(g.concepts.iter().all(|c| c.status != ConceptStatus::Contradicted), "{a}");
            assert!(g.score >= 0.5, "{a}: {:.2}", g.score);
        }
        for a in swapped {
            let g = p.grade(a);
            assert!(g.components.relations_crosswise > 0, "{a}: {:?}", g.components);
            assert!(g.score < 0.5, "{a}: {:.2}", g.score);
        }
    }
}

/// The author's correction is what a learner most needs: it leads the checks (and so
/// the summary), and the concept whose words sit inside the wrong claim shows it, as
/// "got wrong", rather than counting as covered. No check is listed twice.
#[test]
fn an_authors_correction_leads_the_checks_and_marks_the_concept_in_the_claim() {
    let p = probes_with_misconception();
    let answer = "The readiness probe restarts the container when it hangs; liveness decides traffic.";
    let g = p.grade(answer);
    assert_eq!(g.components.misconceptions, 1);
    assert!(g.components.conflicts[0].starts_with("Check: you said"), "{:?}", g.components.conflicts);
    assert!(g.feedback.contains("liveness probe is what restarts"), "{}", g.feedback);
    let restart = g.concepts.iter().find(|c| c.label == "restart").expect("concept");
    assert_eq!(restart.status, ConceptStatus::Contradicted);
    assert!(restart.hint.contains("liveness probe is what restarts"), "{}", restart.hint);
    let mut graded = vec![];
    for a in CMD_ENTRYPOINT_SWAPS {
        graded.push((a, cmd_entrypoint().grade(a).components.conflicts));
    }
    for (q, _, swapped) in contrasts_from_a_walk_through() {
        graded.extend(swapped.into_iter().map(|a| (a, q.grade(a).components.conflicts)));
    }
    for (a, checks) in graded {
        let mut unique = checks.clone();
        unique.sort();
        unique.dedup();
        assert!(!checks.is_empty() && unique.len() == checks.len(), "{a}: {checks:?}");
    }
}

/// Advice the model answer gives as a prohibition ("you should never rebase commits
/// that are already pushed to a shared branch") is stated by an answer that forbids it
/// too, however close the negation sits ("don't rebase a shared branch"); a phrase's
/// negation ("without an index ... a full table scan") is no prohibition.
#[test]
fn a_prohibition_said_as_a_prohibition_covers_the_concept() {
    let p = prepared(
        "git merge vs git rebase?",
        "A merge creates a merge commit. A rebase replays your commits on top of the target branch, creating new \
         commits. Because rebase rewrites history, you should never rebase commits that are already pushed to a \
         shared branch other people work on.",
        &["shared branch | public branch", "merge commit"],
        &[],
    );
    for answer in [
        "They're new commits, which is why you don't rebase a shared branch.",
        "Never rebase a shared branch.",
        "You shouldn't rebase a public branch others use.",
        "Rebase rewrites history, so not on a shared branch.",
    ] {
        assert_eq!(p.grade_concept(0, answer).unwrap().status, ConceptStatus::Covered, "{answer}");
    }
}

/// "re-" and "co-" are written with and without their hyphen: either spelling of the
/// keyword matches either spelling in the answer, as longer prefixes ("multi-stage")
/// already did.
#[test]
fn short_prefixes_match_with_or_without_their_hyphen() {
    for (keyword, answer) in [
        ("reapplies", "It re-applies my commits on main."),
        ("re-applies", "It reapplies my commits on main."),
        ("colocated", "The sidecar is co-located with the app."),
        ("re-run", "You can rerun the job."),
    ] {
        let p = prepared("q?", &format!("The tool {keyword} them."), &[keyword], &[]);
        assert_eq!(p.grade_concept(0, answer).unwrap().status, ConceptStatus::Covered, "{keyword} / {answer}");
    }
}

/// A verb and its particle split by a pronoun object, as English puts one ("spins them
/// up", "tears it down"), make the two-word phrase; another word between does not, nor
/// does a pronoun before another particle ("brings it back" is not "backing off").
#[test]
fn a_pronoun_object_may_split_a_verb_from_its_particle() {
    let keywords = ["spin up".to_string(), "tear down".to_string(), "backing off".to_string()];
    let covered = |answer: &str| grade("Q?", "R.", &keywords, answer).covered();
    assert_eq!(covered("AWS spins them up and tears them down whenever it likes."), ["spin up", "tear down"]);
    assert_eq!(covered("It spins it up, then tears it down."), ["spin up", "tear down"]);
    assert!(covered("It spins the new sandbox up and tears old ones down.").is_empty());
    assert!(covered("The client brings it back and keeps going.").is_empty());
}

#[test]
fn the_band_follows_the_percent_the_learner_is_shown() {
    // Two answers shown with the same whole percent get the same verdict, on every score.
    let mut by_percent: std::collections::HashMap<i64, Band> = std::collections::HashMap::new();
    for i in 0..=100_000 {
        let score = i as f64 / 100_000.0;
        let shown = (score * 100.0).round() as i64;
        let band = Band::from_score(score);
        let first = *by_percent.entry(shown).or_insert(band);
        assert_eq!(first, band, "{score} is shown as {shown} but banded {band} where {first} was");
    }
    assert_eq!(Band::from_score(0.697), Band::Strong);
    assert_eq!(Band::from_score(0.694), Band::Partial);
    assert_eq!(Band::from_score(0.146), Band::Weak);
    assert_eq!(Band::from_score(0.144), Band::OffTopic);
}
