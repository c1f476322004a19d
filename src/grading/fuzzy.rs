//! Typo and derivation tolerance between single words.

/// Typo tolerance between two folded words: words under five letters must match
/// exactly ("thin" is not a typo of "think"), longer
/// ones may differ by a number of edits (Damerau, adjacent swaps count once) that
/// grows with length. The first letter must agree, which removes most false friends.
pub fn typo_close(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 5 || a.chars().next() != b.chars().next() {
        return false;
    }
    let allowed = match la.max(lb) {
        0..=8 => 1,
        9..=12 => 2,
        _ => 3,
    };
    la.abs_diff(lb) <= allowed && strsim::osa_distance(a, b) <= allowed
}

/// Derivational variants the stemmer leaves apart ("retransmit" / "retransmiss",
/// "replicat" / "replic"): a long shared prefix and only short, different endings.
/// Endings are capped so that "connect" / "connectionless" stay apart.
pub fn derivation_close(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    // Most pairs share no long prefix: no need to count their chars.
    if common < 6 {
        return false;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    common >= 6 && la - common <= 3 && lb - common <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_tolerance_is_length_aware() {
        assert!(typo_close("imgae", "image"));
        assert!(typo_close("dependancies", "dependencies"));
        assert!(!typo_close("pod", "pot"));
        assert!(!typo_close("image", "mirage"));
        assert!(derivation_close("retransmit", "retransmiss"));
        assert!(!derivation_close("connect", "connectionless"));
    }
}
