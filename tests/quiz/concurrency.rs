//! Many members answering at once: every answer recorded exactly once.

use std::sync::atomic::{AtomicUsize, Ordering};

use quizbot::quiz::CardKind;

use crate::support::{CHANNEL, TestApp, at, right_and_wrong};

#[test]
fn a_burst_of_answers_from_many_threads_is_recorded_exactly_once_each() {
    let app = TestApp::spawn();
    app.ask(
        "ana",
        "/quiz schedule 09:00 Asia/Seoul",
        at("2026-11-24T08:00:00+09:00"),
    );
    let id = TestApp::posted_question(&app.deliver(at("2026-11-24T09:00:00+09:00")));
    let (right, _) = right_and_wrong(&id);
    let members: Vec<String> = (0..400).map(|i| format!("m{i:03}")).collect();
    let (receipts, refusals) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // Every member answers twice, from two different threads, so duplicates race too.
    std::thread::scope(|scope| {
        for thread in 0..16 {
            let (app, members, right) = (&app, &members, &right);
            let (receipts, refusals) = (&receipts, &refusals);
            scope.spawn(move || {
                for (i, member) in members.iter().enumerate() {
                    if i % 8 != thread % 8 {
                        continue;
                    }
                    let reply = app.ask_one(
                        member,
                        &format!("/answer {right}"),
                        at("2026-11-24T09:00:30+09:00"),
                    );
                    match reply.card.kind {
                        CardKind::Receipt => receipts.fetch_add(1, Ordering::Relaxed),
                        CardKind::Error if reply.card.body.contains("already answered") => {
                            refusals.fetch_add(1, Ordering::Relaxed)
                        }
                        _ => panic!("unexpected reply: {reply:?}"),
                    };
                }
            });
        }
    });
    assert_eq!(receipts.into_inner(), 400);
    assert_eq!(refusals.into_inner(), 400);
    let round = app.engine.store().open_round_in(CHANNEL).unwrap().unwrap();
    let mut recorded: Vec<String> = app
        .engine
        .store()
        .round_answers(round.id)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    recorded.sort();
    assert_eq!(recorded, members);
}
