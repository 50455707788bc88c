"""Shaping the assistant's messages into texts: GSM-7, numbered choices, 1,600 characters."""

from bot.channels.sms_text import compose, split, to_gsm7, with_choices


def test_curly_quotes_dashes_and_ellipses_become_plain_and_emoji_go():
    said = "We\u2019ll call \u201cDana\u201d \u2013 9\u201310 AM\u2026 \U0001f44d\U0001f3fd \u2705"
    assert to_gsm7(said) == "We'll call \"Dana\" - 9-10 AM..."
    assert to_gsm7("Caf\u00e9 at 9 \u2764\ufe0f!") == "Caf\u00e9 at 9!"  # letters stay


def test_split_keeps_short_texts_whole_and_cuts_long_ones_between_paragraphs():
    assert split("hello") == ["hello"]
    assert split("") == []
    parts = split("\n\n".join(["a" * 700] * 5))
    assert [len(p) for p in parts] == [1402, 1402, 700]
    assert [len(p) for p in split("x" * 3500)] == [1600, 1600, 300]
    assert all(len(p) <= 1600 for p in split(("word " * 50 + "\n") * 40))


def test_buttons_already_numbered_in_the_text_are_not_listed_twice():
    buttons = [{"title": "Tue 9:00 AM", "payload": "/a"},
               {"title": "Tue 10:00 AM", "payload": "/b"}]
    text, payloads = with_choices("I can do: 1) Tue 9:00 AM 2) Tue 10:00 AM. Which works?",
                                  buttons)
    assert text == "I can do: 1) Tue 9:00 AM 2) Tue 10:00 AM. Which works?\nReply 1 or 2."
    assert payloads == ["/a", "/b"]


def test_only_the_last_list_of_a_turn_answers_to_numbers():
    reply = compose([
        {"text": "Is it safe to drive?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        {"text": "Which car?", "buttons": [{"title": "RX 350", "payload": "/inform_rx"},
                                           {"title": "ES 300h", "payload": "/inform_es"}]},
        {"image": "https://example.com/map.png"},
    ])
    assert reply.bodies == ["Is it safe to drive?\n1) Yes\n\n"
                            "Which car?\n1) RX 350\n2) ES 300h\nReply 1 or 2."]
    assert reply.choices == ["/inform_rx", "/inform_es"]
    assert reply.media_urls == ["https://example.com/map.png"]


def test_the_same_answer_to_two_questions_of_one_text_is_said_once():
    line = "For that, call our Sales team at (512) 555-0100. They're open today until 8 PM."
    reply = compose([{"text": line}, {"text": line}, {"text": "Anything else?"}])
    assert reply.bodies == [f"{line}\n\nAnything else?"]


def test_a_question_asked_again_after_an_answer_is_asked_once_last():
    ask = {"text": "Shall I add it to that visit?",
           "buttons": [{"title": "Yes, add it", "payload": "/affirm"},
                       {"title": "No, another visit", "payload": "/deny"}]}
    reply = compose([ask, {"text": "Plan on about 30 minutes."}, ask])
    assert reply.bodies == ["Plan on about 30 minutes.\n\nShall I add it to that visit?\n"
                            "1) Yes, add it\n2) No, another visit\nReply 1 or 2."]


def test_the_reply_hint_gives_way_when_the_text_numbers_its_choices_and_is_long():
    buttons = [{"title": "Fri Nov 27 at 7:00 AM", "payload": "/a"},
               {"title": "Fri Nov 27 at 7:30 AM", "payload": "/b"}]
    offer = "I can do 1) Fri Nov 27 at 7:00 AM 2) Fri Nov 27 at 7:30 AM. Which works?"
    before = "x" * (320 - len(offer) - 4)  # with the hint, past a text; without it, one text
    reply = compose([{"text": before}, {"text": offer, "buttons": buttons}])
    assert reply.bodies == [f"{before}\n\n{offer}"] and reply.choices == ["/a", "/b"]
    # short, the hint stays; choices listed as lines keep it too
    assert compose([{"text": offer, "buttons": buttons}]).bodies == [f"{offer}\nReply 1 or 2."]
    listed = compose([{"text": before}, {"text": "Which car?", "buttons": buttons}])
    assert listed.bodies[0].endswith("Reply 1 or 2.")


def test_times_offered_then_a_summary_in_the_same_reply_leave_only_the_summary():
    times = [{"title": "today at 11:00 AM", "payload": '/inform{"when": "2026-11-23T11:00"}'},
             {"title": "today at 11:30 AM", "payload": '/inform{"when": "2026-11-23T11:30"}'}]
    summary = [{"title": "Yes, book it", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    reply = compose([
        {"text": "Noted on case R1 for an advisor."},
        {"text": "When would you like to come in? 1) today at 11:00 AM 2) today at 11:30 AM",
         "buttons": times},
        {"text": "So: an inspection Fri at 8:00 AM. Book it?", "buttons": summary}])
    assert reply.bodies == ["Noted on case R1 for an advisor.\n\nSo: an inspection Fri at "
                            "8:00 AM. Book it?\n1) Yes, book it\n2) No\nReply 1 or 2."]
    assert reply.choices == ["/affirm", "/deny"]
