//! Files on replies: the readiness chart and `/export` arrive as attachments of the
//! ephemeral interaction response (multipart, as Discord takes them).

use crate::*;

/// The first call not taken yet that carried files.
async fn with_files(bot: &Bot) -> Call {
    bot.fake
        .take("a message with files", |c| !c.files.is_empty())
        .await
}

#[tokio::test]
async fn readiness_comes_with_the_chart_attached_to_the_private_response() {
    let bot = Bot::start().await;
    let sent = bot.command(ALICE, GENERAL, "readiness", json!([]));
    let response = bot.fake.response_to(&sent.id).await;
    assert!(response.ephemeral());
    // On the card's last message: here the response itself, a multipart request.
    let chart = if response.files.is_empty() {
        with_files(&bot).await
    } else {
        response
    };
    assert!(chart.ephemeral(), "the chart is private too");
    assert!(chart.shown().contains("Exam readiness") || chart.path.contains("/webhooks/"));
    assert_eq!(chart.files.len(), 1);
    let file = &chart.files[0];
    assert_eq!(file.name, "readiness.png");
    assert_eq!(
        chart.message()["attachments"][0]["filename"],
        "readiness.png"
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(file.bytes.clone()));
    let info = decoder.read_info().expect("a PNG").info().clone();
    assert_eq!(
        (info.width, info.height),
        (quizbot::quiz::chart::WIDTH, quizbot::quiz::chart::HEIGHT)
    );
}

#[tokio::test]
async fn export_sends_a_csv_and_an_anki_file_privately_and_nothing_when_there_is_nothing() {
    let bot = Bot::start().await;
    let empty = bot.ask(ALICE, GENERAL, "export", json!([])).await;
    assert!(empty.ephemeral());
    assert!(empty.files.is_empty());
    assert!(
        empty.shown().contains("Nothing to export yet"),
        "{}",
        empty.shown()
    );

    let question = bot.ask(ALICE, GENERAL, "practice", json!([])).await;
    bot.click(ALICE, GENERAL, &question, &button(&question, "A"))
        .await;
    let sent = bot.command(ALICE, GENERAL, "export", json!([]));
    let response = bot.fake.response_to(&sent.id).await;
    assert!(response.ephemeral());
    assert!(
        response.shown().contains("1 questions") || response.shown().contains("1 question"),
        "{}",
        response.shown()
    );
    assert_eq!(response.files.len(), 2, "{:?}", response.files);
    let names: Vec<&str> = response.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["quizbot-misses.csv", "quizbot-misses-anki.txt"]);
    let csv = String::from_utf8(response.files[0].bytes.clone()).unwrap();
    assert!(csv.starts_with("question_id,task,status,"), "{csv}");
    assert!(csv.contains("q-cache,"), "{csv}");
    let anki = String::from_utf8(response.files[1].bytes.clone()).unwrap();
    assert!(anki.starts_with("#separator:tab\n#html:false\n"), "{anki}");
}
