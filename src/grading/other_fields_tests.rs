//! Questions from fields outside the calibration set (networking, databases,
//! security): the kinds of answers must still come out in the right order. These were
//! written while the grader was tuned (the databases and OAuth cases exposed gaps that
//! were then fixed), so they are in-sample checks, not held-out evidence: the held-out
//! figures come from `tests/fixtures/validation/` (see `tests/validation.rs`).

use super::*;

/// A question from another field, outside the calibration set.
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
    const STUFFED: &str = "TCP, UDP, handshake, connection, reliable, ordering, datagrams, faster, video, DNS.";
    const OFF: &str = "I'm not sure, I mostly work on the frontend with React.";

    fn scores(p: &PreparedQuestion) -> [f64; 5] {
        [STRONG, SWAPPED, PARTIAL, STUFFED, OFF].map(|a| p.grade(a).score)
    }

    fn check(p: &PreparedQuestion) {
        let [strong, swapped, partial, stuffed, off] = scores(p);
        let all =
            format!("strong {strong:.2} swapped {swapped:.2} partial {partial:.2} stuffed {stuffed:.2} off {off:.2}");
        assert!(strong > partial + 0.15, "{all}");
        assert!(swapped < strong - 0.3, "{all}");
        assert!(stuffed < strong - 0.3, "{all}");
        assert_eq!(Band::from_score(off), Band::OffTopic, "{all}");
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
        check(&PreparedQuestion::new(Q, R, &concepts, &[], &Corpus::default()));
    }

    #[test]
    fn without_keywords() {
        check(&PreparedQuestion::new(Q, R, &[], &[], &Corpus::default()));
    }
}

/// A single-entity question from databases, outside the calibration set.
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
        let confused = "An index makes writes faster because the rows are kept sorted, while reads get \
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
            assert!(st > pa + 0.2, "{all}");
            assert!(co < st - 0.3, "{all}");
            if k.is_empty() {
                assert_eq!(Band::from_score(of), Band::OffTopic, "{all}");
            } else {
                // The plain-words lexicon lends *storage* the bank's "ram" (the memory
                // an index costs), so "more RAM" covers it: weak, not off topic.
                assert!(matches!(Band::from_score(of), Band::Weak | Band::OffTopic), "{all}");
            }
        }
    }
}

/// Steps in order (networking), outside the calibration set.
mod handshake {
    use super::*;

    const Q: &str = "How is a TCP connection established?";
    const R: &str = "With a three-way handshake. First the client sends a SYN with its initial sequence \
number. Then the server answers with a SYN-ACK, acknowledging the client's number and sending its own. \
Finally the client sends an ACK, and only after that can data flow in both directions.";

    #[test]
    fn reversed_steps_score_below_a_paraphrase_only_when_the_author_marks_the_order() {
        let strong = "The client starts by sending a SYN carrying its initial sequence number, then the \
server replies with SYN-ACK to acknowledge it and send its own sequence number, and finally the client \
sends an ACK. After that the connection is open and data can flow.";
        let reversed = "First the server sends a SYN-ACK to the client, then the client answers with an \
ACK, and finally the client sends the SYN with its initial sequence number, after that data can flow.";
        let concepts: Vec<Concept> =
            ["syn", "syn-ack | synack", "ack"].iter().filter_map(|k| Concept::parse(k)).collect();
        let ordered = PreparedQuestion::new(Q, R, &concepts, &[], &Corpus::default()).with_ordered_steps(true);
        let (st, re) = (ordered.grade(strong), ordered.grade(reversed));
        assert!(st.score > re.score, "strong {:.2} reversed {:.2}", st.score, re.score);
        assert!(st.components.reversed_steps == 0 && re.components.reversed_steps > 0, "{re:?}");
        assert!(re.feedback.contains("Check the order"), "{}", re.feedback);
        // Without the author's mark, order is never judged.
        let plain = PreparedQuestion::new(Q, R, &concepts, &[], &Corpus::default());
        assert_eq!(plain.grade(reversed).components.reversed_steps, 0);
    }
}
