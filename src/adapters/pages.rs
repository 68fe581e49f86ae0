//! Spreading one card over several messages when it does not fit in one, the same way on
//! every platform: pieces (embed fields, Block Kit blocks) keep their order, each message
//! takes as many as its budget allows, and nothing is dropped unless a card would need
//! more than [`MAX_MESSAGES`] messages (not possible for a question that passed the bank's
//! checks).

/// The most messages one card becomes; past this, the rest is cut and the cut marked.
pub const MAX_MESSAGES: usize = 4;

/// The pieces, in order, grouped into at most [`MAX_MESSAGES`] pages: the first page has
/// `first` of budget, the others `budget`, each at most `per_page` pieces, where a piece
/// costs `cost(piece)`. A piece costing more than a whole page gets a later page of its own
/// (the first page also holds what comes before the pieces). Also
/// says whether pieces were left out for lack of pages. There is always at least one page.
pub fn paginate<T>(
    pieces: Vec<T>,
    cost: impl Fn(&T) -> usize,
    first: usize,
    budget: usize,
    per_page: usize,
) -> (Vec<Vec<T>>, bool) {
    let mut pages: Vec<Vec<T>> = vec![Vec::new()];
    let mut room = first;
    let mut cut = false;
    for piece in pieces {
        let n = cost(&piece);
        let later = pages.len() > 1;
        let page = pages.last_mut().expect("there is a page");
        if (later && page.is_empty()) || (n <= room && page.len() < per_page) {
            room = room.saturating_sub(n);
            page.push(piece);
            continue;
        }
        if pages.len() == MAX_MESSAGES {
            cut = true;
            break;
        }
        room = budget.saturating_sub(n);
        pages.push(vec![piece]);
    }
    (pages, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_fill_pages_in_order_and_only_a_card_past_every_page_is_cut() {
        let (pages, cut) = paginate(vec![3, 3, 3, 3], |n| *n, 7, 6, 25);
        assert_eq!(pages, [vec![3, 3], vec![3, 3]]);
        assert!(!cut);
        let (pages, cut) = paginate(vec![1; 10], |n| *n, 100, 100, 2);
        assert_eq!(pages.len(), MAX_MESSAGES);
        assert!(cut, "ten pieces two to a page need five pages");
        let (pages, _) = paginate(vec![5, 9, 1], |n| *n, 4, 6, 25);
        assert_eq!(pages, [vec![], vec![5], vec![9], vec![1]]);
        let (pages, cut) = paginate(Vec::<usize>::new(), |n| *n, 1, 1, 1);
        assert_eq!(pages, [Vec::<usize>::new()]);
        assert!(!cut);
    }
}
