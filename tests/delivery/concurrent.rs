//! Many channels due at one instant: all sent at once within the platform's bound, each
//! channel in order; a hanging or failing channel holds up nobody else.

use std::time::Duration;

use jiff::SignedDuration;

use crate::*;

#[tokio::test(start_paused = true)]
async fn two_hundred_channels_due_at_once_are_each_posted_once_in_order_with_at_most_the_set_number_in_flight()
 {
    let desk = Desk::start(200, FakePlatform::new(8, Duration::from_millis(100)));
    desk.advance_to(NINE);
    desk.events.sends(200).await;
    // The next day at 09:00 without a pass at 18:00: each channel has its reveal and the
    // next post due at once, and the reveal (slower at the fake) must land first.
    desk.advance_to("2026-11-25T09:00:00+09:00");
    desk.events.sends(400).await;
    let received = desk.platform.all_received();
    assert_eq!(received.len(), 200, "every channel got its deliveries");
    for channel in &desk.channels {
        let got = &received[channel];
        let kinds: Vec<&str> = got.iter().map(|(_, kind)| *kind).collect();
        assert_eq!(kinds, ["post", "reveal", "post"], "{channel}: {got:?}");
        assert_eq!(
            got[0].0, got[1].0,
            "{channel}: the reveal is of the round posted"
        );
        assert!(
            got[2].0 > got[1].0,
            "{channel}: then the next round: {got:?}"
        );
    }
    let (most, most_in_one_channel) = desk.platform.most_in_flight();
    assert_eq!(most, 8, "sent at once, never more than the pace allows");
    assert_eq!(most_in_one_channel, 1, "one delivery at a time per channel");
}

#[tokio::test(start_paused = true)]
async fn a_channel_that_hangs_does_not_delay_the_others() {
    let desk = Desk::start(50, FakePlatform::new(8, Duration::from_millis(100)));
    let stuck = desk.channels[3].clone();
    desk.platform.hang(&stuck);
    desk.advance_to(NINE);
    desk.platform.started(&stuck).await;
    desk.events.sends(49).await;
    // Everyone else has their question while the stuck call is still held.
    for channel in desk.channels.iter().filter(|c| **c != stuck) {
        assert_eq!(desk.platform.received(channel).len(), 1, "{channel}");
    }
    assert!(desk.platform.received(&stuck).is_empty());
    desk.platform.release();
    desk.events.sent(&stuck, "post").await;
    assert_eq!(desk.platform.received(&stuck).len(), 1);
    assert_eq!(desk.platform.attempts(&stuck), 1, "released, not retried");
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_retries_only_that_delivery_on_its_own_backoff() {
    let desk = Desk::start(20, FakePlatform::new(4, Duration::from_millis(100)));
    let flaky = desk.channels[7].clone();
    desk.platform.fail(&flaky, 1, None);
    desk.advance_to(NINE);
    let (channel, retry_at) = desk.events.retried().await;
    assert_eq!(channel, flaky);
    assert_eq!(
        retry_at,
        at(NINE) + SignedDuration::from_secs(5),
        "its own first backoff"
    );
    desk.events.sends(19).await;
    desk.advance(SignedDuration::from_secs(5));
    desk.events.sent(&flaky, "post").await;
    for channel in &desk.channels {
        let expected = if *channel == flaky { 2 } else { 1 };
        assert_eq!(desk.platform.attempts(channel), expected, "{channel}");
        assert_eq!(desk.platform.received(channel).len(), 1, "{channel}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_never_comes_before_the_platforms_retry_after() {
    let desk = Desk::start(3, FakePlatform::new(4, Duration::from_millis(100)));
    let limited = desk.channels[1].clone();
    desk.platform
        .fail(&limited, 1, Some(Duration::from_secs(60)));
    desk.advance_to(NINE);
    let (_, retry_at) = desk.events.retried().await;
    assert_eq!(
        retry_at,
        at(NINE) + SignedDuration::from_secs(60),
        "not the 5 s backoff"
    );
    desk.events.sends(2).await;
    // Half way there, and the loop made to look: still not called again.
    desk.advance(SignedDuration::from_secs(30));
    desk.look().await;
    assert_eq!(desk.platform.attempts(&limited), 1);
    desk.advance(SignedDuration::from_secs(30));
    desk.events.sent(&limited, "post").await;
    assert_eq!(desk.platform.attempts(&limited), 2);
}
