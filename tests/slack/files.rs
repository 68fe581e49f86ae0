//! Files on replies: the readiness chart and `/export` are uploaded the way Slack takes
//! files now (`files.getUploadURLExternal`, the bytes to the URL it gives, then
//! `files.completeUploadExternal`), and shared in the member's direct message with the bot,
//! since Slack cannot show a file to one member alone in a channel.

use serde_json::Value;

use crate::fake::{Call, FakeSlack};
use crate::*;

/// The files of one `files.completeUploadExternal` call: (id, title, bytes uploaded).
fn shared_files(bot: &Bot, complete: &Call) -> Vec<(String, String, Vec<u8>)> {
    complete.body["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let id = f["id"].as_str().unwrap().to_owned();
            let bytes = bot.fake.uploaded(&id).expect("uploaded before completing");
            (
                id,
                f["title"].as_str().unwrap_or_default().to_owned(),
                bytes,
            )
        })
        .collect()
}

#[tokio::test]
async fn readiness_uploads_the_chart_to_the_member_s_dm_and_says_so_privately() {
    let bot = Bot::start().await;
    let card = bot.ask(ALICE, GENERAL, "/readiness").await;
    assert!(card.shown().contains("Exam readiness"), "{}", card.shown());

    let open = bot.fake.take("conversations.open", |_| true).await;
    assert_eq!(open.body["users"], ALICE);
    let url = bot.fake.take("files.getUploadURLExternal", |_| true).await;
    assert_eq!(url.body["filename"], "readiness.png");
    assert_eq!(url.token.as_deref(), Some(BOT_TOKEN));
    let upload = bot.fake.take("upload", |_| true).await;
    assert_eq!(upload.body["file"], url.response["file_id"]);
    assert_eq!(upload.body["content_type"], "image/png");
    assert_eq!(
        upload.body["length"].to_string(),
        url.body["length"].as_str().unwrap()
    );
    let complete = bot
        .fake
        .take("files.completeUploadExternal", |_| true)
        .await;
    assert_eq!(complete.body["channel_id"], FakeSlack::dm_of(ALICE));
    assert!(
        complete.body.get("channels").is_none_or(Value::is_null),
        "shared in the DM only: {}",
        complete.body
    );
    let files = shared_files(&bot, &complete);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].1, "readiness.png");
    let info = png::Decoder::new(std::io::Cursor::new(files[0].2.clone()))
        .read_info()
        .expect("a PNG")
        .info()
        .clone();
    assert_eq!(
        (info.width, info.height),
        (quizbot::quiz::chart::WIDTH, quizbot::quiz::chart::HEIGHT)
    );

    let notice = bot.fake.private_to(ALICE).await;
    assert!(
        notice.shown().contains("in your direct messages with me"),
        "{}",
        notice.shown()
    );
    assert!(bot.fake.calls("chat.postMessage").is_empty());
}

#[tokio::test]
async fn export_shares_the_csv_and_the_anki_file_in_one_dm_message() {
    let bot = Bot::start().await;
    let empty = bot.ask(ALICE, GENERAL, "/export").await;
    assert!(
        empty.shown().contains("Nothing to export yet"),
        "{}",
        empty.shown()
    );
    assert!(bot.fake.calls("files.getUploadURLExternal").is_empty());

    let question = bot.ask(ALICE, GENERAL, "/practice").await;
    let (action, value) = button(&question, "A");
    bot.click(ALICE, GENERAL, "", (&action, &value), None).await;
    bot.fake.private_to(ALICE).await;
    let card = bot.ask(ALICE, GENERAL, "/export").await;
    assert!(card.shown().contains("1 questions"), "{}", card.shown());
    let complete = bot
        .fake
        .take("files.completeUploadExternal", |_| true)
        .await;
    assert_eq!(complete.body["channel_id"], FakeSlack::dm_of(ALICE));
    let files = shared_files(&bot, &complete);
    let titles: Vec<&str> = files.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(titles, ["quizbot-misses.csv", "quizbot-misses-anki.txt"]);
    let csv = String::from_utf8(files[0].2.clone()).unwrap();
    assert!(csv.contains("q-cache,3.1,miss,"), "{csv}");
    let uploads = bot.fake.calls("upload");
    let types: Vec<&str> = uploads
        .iter()
        .map(|u| u.body["content_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text/csv", "text/plain"]);
}

#[tokio::test]
async fn a_failed_upload_tells_the_member_privately_and_the_card_still_arrives() {
    let bot = Bot::start().await;
    bot.fake
        .fail("files.getUploadURLExternal", None, 1, "missing_scope");
    let card = bot.ask(ALICE, GENERAL, "/readiness").await;
    assert!(card.shown().contains("Exam readiness"), "{}", card.shown());
    let notice = bot.fake.private_to(ALICE).await;
    assert!(
        notice.shown().contains("could not send you the files"),
        "{}",
        notice.shown()
    );
    assert!(bot.fake.calls("files.completeUploadExternal").is_empty());
}
