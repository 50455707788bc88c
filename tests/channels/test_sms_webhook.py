"""The SMS webhook as Twilio calls it: signed forms in, TwiML out."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import select

from bot.dealership.db import session_scope
from bot.dealership.models import InboundMessage, OutboundMessage
from tests.demo import DANA
from tools.sms_client import post, sign, text, twilio_form


def test_a_signed_text_reaches_the_assistant_and_is_answered_in_twiml(server, assistant):
    answer = text(server.webhook, "hi", sender="(512) 555-0142")
    assert answer.status == 200
    assert answer.messages == ["You said: hi"]
    (message,) = assistant.received
    assert message.sender_id == DANA  # the conversation id is the E.164 number
    assert message.input_channel == "sms"
    assert message.metadata is None


def test_a_forged_or_missing_signature_is_refused_and_never_reaches_the_assistant(
        server, assistant):
    form = twilio_form("book me in", sender=DANA)
    assert post(server.webhook, form, signature="bm90IGEgc2lnbmF0dXJl").status == 403
    assert post(server.webhook, form, signature="").status == 403
    # Signed right, then changed on the way: the signature covers every parameter.
    signature = sign(server.webhook, form)
    assert post(server.webhook, form | {"Body": "cancel everything"},
                signature=signature).status == 403
    # Signed with another account's token.
    other = sign(server.webhook, form, auth_token="someone-elses-token")
    assert post(server.webhook, form, signature=other).status == 403
    assert assistant.received == []


def test_behind_a_proxy_the_signature_covers_the_public_url(settings, make_server, assistant):
    public = "https://concierge.example.com"
    server = make_server(dataclasses.replace(settings, public_base_url=public + "/"))
    form = twilio_form("hi", sender=DANA)
    signed_public = sign(f"{public}/webhooks/sms/webhook", form)
    assert post(server.webhook, form, signature=signed_public).status == 200
    # Signed over the URL the server sees, not the one Twilio called: refused.
    form = twilio_form("hi again", sender=DANA)
    assert post(server.webhook, form).status == 403
    assert assistant.texts == ["hi"]


def test_a_malformed_request_gets_400_not_500(server, assistant):
    no_sender = {k: v for k, v in twilio_form("hi", sender=DANA).items() if k != "From"}
    assert post(server.webhook, no_sender).status == 400
    blank_sender = twilio_form("hi", sender="")
    assert post(server.webhook, blank_sender).status == 400
    not_a_number = twilio_form("hi", sender="not a number")
    assert post(server.webhook, not_a_number).status == 400
    no_sid = {k: v for k, v in twilio_form("hi", sender=DANA).items()
              if k not in ("MessageSid", "SmsMessageSid", "SmsSid")}
    assert post(server.webhook, no_sid).status == 400
    # Not a form at all, but signed (over no parameters).
    reply = requests.post(server.webhook, data=b"\x00\xff", timeout=10,
                          headers={"X-Twilio-Signature": sign(server.webhook, {}),
                                   "Content-Type": "application/octet-stream"})
    assert reply.status_code == 400
    assert assistant.received == []


def test_a_blank_text_is_asked_again_politely_and_the_assistant_not_disturbed(server, assistant):
    answer = post(server.webhook, twilio_form("  \n ", sender=DANA))
    assert answer.status == 200
    [reply] = answer.messages
    assert "blank" in reply and "512" in reply
    assert assistant.received == []
    # The conversation goes on where it was.
    assert post(server.webhook, twilio_form("hi", sender=DANA)).status == 200
    assert assistant.texts == ["hi"]


def test_a_blank_text_from_a_number_that_opted_out_gets_nothing(server, assistant):
    assert post(server.webhook, twilio_form("STOP", sender=DANA)).messages
    answer = post(server.webhook, twilio_form("", sender=DANA))
    assert (answer.status, answer.messages) == (200, [])
    assert assistant.received == []


def test_a_retried_message_sid_gets_the_first_answer_and_is_processed_once(
        server, assistant, settings):
    form = twilio_form("book an oil change", sender=DANA)
    first = post(server.webhook, form)
    assistant.script = lambda message: [{"text": "a different answer"}]
    again = post(server.webhook, form)
    assert again.status == 200 and again.xml == first.xml
    assert assistant.texts == ["book an oil change"]
    with session_scope(settings.database_url) as session:
        (record,) = session.execute(select(InboundMessage)).scalars()
        assert (record.message_sid, record.status) == (form["MessageSid"], "answered")


def test_a_duplicate_arriving_while_the_first_is_still_running_is_not_processed_twice(
        server, assistant):
    assistant.delay = 1.0
    form = twilio_form("move my appointment to friday", sender=DANA)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: post(server.webhook, form), range(2))
    assert assistant.texts == ["move my appointment to friday"]
    assert first.status == second.status == 200
    assert first.messages == second.messages == ["You said: move my appointment to friday"]


def test_several_messages_are_joined_and_long_replies_split_at_1600(server, assistant):
    booked = "Your visit is booked. " * 40  # 880 characters
    held = "Your loaner is held for it. " * 30  # 840 characters
    assistant.script = lambda message: [{"text": "Done!"}, {"text": booked}, {"text": held}]
    answer = text(server.webhook, "book it", sender=DANA)
    assert len(answer.messages) == 2
    assert all(len(m) <= 1600 for m in answer.messages)
    assert answer.messages[0].startswith("Done!\n\nYour visit")
    assert "".join(answer.messages).count("Your visit is booked.") == 40
    assert "".join(answer.messages).count("Your loaner is held for it.") == 30


def test_replies_aim_at_gsm7(server, assistant):
    assistant.script = lambda message: [
        {"text": "You\u2019re all set \U0001f44d \u2014 see you \u201ctomorrow\u201d\u2026"}]
    answer = text(server.webhook, "thanks", sender=DANA)
    assert answer.messages == ['You\'re all set - see you "tomorrow"...']


def test_buttons_become_a_numbered_list_and_a_bare_number_sends_that_payload(
        server, assistant):
    times = [{"title": "Tue Nov 24 at 9:00 AM",
              "payload": '/inform{"appointment_time": "2026-11-24T09:00:00-06:00"}'},
             {"title": "Tue Nov 24 at 10:30 AM",
              "payload": '/inform{"appointment_time": "2026-11-24T10:30:00-06:00"}'},
             {"title": "Wed Nov 25 at 8:00 AM",
              "payload": '/inform{"appointment_time": "2026-11-25T08:00:00-06:00"}'}]
    assistant.script = lambda message: [{"text": "When works?", "buttons": times}]
    answer = text(server.webhook, "oil change", sender=DANA)
    assert answer.messages == ["When works?\n1) Tue Nov 24 at 9:00 AM\n"
                               "2) Tue Nov 24 at 10:30 AM\n3) Wed Nov 25 at 8:00 AM\n"
                               "Reply 1, 2 or 3."]
    assistant.script = lambda message: [{"text": "Book it?", "buttons": [
        {"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]}]
    text(server.webhook, " 2 ", sender=DANA)
    assert assistant.texts[-1] == times[1]["payload"]
    # The latest list is the one a digit answers; a number past its end stays a number.
    text(server.webhook, "1", sender=DANA)
    assert assistant.texts[-1] == "/affirm"
    text(server.webhook, "3", sender=DANA)
    assert assistant.texts[-1] == "3"
    # Another number's list means nothing here.
    text(server.webhook, "1", sender="+15125550199")
    assert assistant.texts[-1] == "1"


def test_a_photo_reaches_the_assistant_with_its_urls_in_the_metadata(server, assistant):
    photo = ("https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1",
             "image/jpeg")
    text(server.webhook, "", sender=DANA, media=[photo])
    text(server.webhook, "this light came on", sender=DANA,
         media=[photo, (photo[0] + "2", "image/png")])
    alone, with_words = assistant.received
    assert alone.text == "/share_media"
    assert alone.metadata == {"media_urls": [photo[0]], "media_types": ["image/jpeg"]}
    assert with_words.text == "this light came on"
    assert with_words.metadata["media_urls"] == [photo[0], photo[0] + "2"]


def test_a_slow_turn_gets_empty_twiml_then_its_reply_by_the_rest_api(
        settings, make_server, assistant, standin):
    server = make_server(dataclasses.replace(settings, sms_reply_deadline=0.3))
    assistant.delay = 1.5
    assistant.script = lambda message: [{"text": "Booked for Tue Nov 24 at 9:00 AM.",
                                         "buttons": [{"title": "Add a loaner",
                                                      "payload": "/want_loaner"}]}]
    form = twilio_form("tmrw at 9", sender=DANA)
    started = time.monotonic()
    answer = post(server.webhook, form)
    assert time.monotonic() - started < 1.2
    assert answer.status == 200 and answer.messages == []
    (sent,) = standin.wait_for(1)
    assert (sent.to, sent.from_) == (DANA, settings.twilio_number)
    assert sent.body == "Booked for Tue Nov 24 at 9:00 AM.\n1) Add a loaner\nReply 1."
    server.wait_for_background()
    # A retry is not a second turn and no second text; the list answers to "1".
    assert post(server.webhook, form).messages == []
    assistant.delay = 0
    text(server.webhook, "1", sender=DANA)
    assert assistant.texts == ["tmrw at 9", "/want_loaner"]
    assert len(standin.sent) == 1
    with session_scope(settings.database_url) as session:
        record = session.execute(select(OutboundMessage)).scalar_one()
        assert (record.status, record.purpose, record.twilio_sid) == (
            "accepted", "late_reply", sent.sid)


def test_a_turn_that_fails_gets_an_honest_answer(server, assistant):
    def broken(message):
        raise RuntimeError("the action server is down")

    assistant.script = broken
    answer = text(server.webhook, "hi", sender=DANA)
    assert answer.status == 200
    assert "call Lakeshore Lexus service at (512) 555-0101" in answer.messages[0]
