//! Study groups: invite codes, membership, opt-in progress, assignments, and that a
//! group is invisible to anyone outside it.
use chrono::Datelike;
use serde_json::{json, Value};

use crate::helpers::{json_of, reference_of, spawn_app, TestApp};

/// Answers the first question of a one-question Kubernetes interview with its reference.
async fn answer_one(app: &TestApp) {
    let started = json_of(app.start_interview(&json!({"topics": ["kubernetes"], "count": 1})).await).await;
    let id = started["id"].as_str().expect("interview");
    let question = started["question"]["id"].as_str().expect("question");
    let response = app.answer(id, question, &reference_of(question)).await;
    assert_eq!(response.status(), 200, "the answer is graded");
}

async fn group(app: &TestApp, id: &str) -> Value {
    let response = app.get(&format!("/api/v1/groups/{id}")).await;
    assert_eq!(response.status(), 200, "the group is visible");
    json_of(response).await
}

fn member<'a>(group: &'a Value, username: &str) -> &'a Value {
    group["members"].as_array().expect("members").iter().find(|m| m["username"] == username).expect("a member")
}

/// The `<li>` of one member on the group page.
fn member_item<'a>(html: &'a str, username: &str) -> &'a str {
    let start = html.find(&format!("data-member=\"{username}\"")).expect("the member is listed");
    let rest = &html[start..];
    &rest[..rest.find("</li>").expect("end of the item")]
}

#[tokio::test]
async fn a_group_is_created_and_joined_with_its_code_in_any_case() {
    let app = spawn_app().await;
    let owner = app.signed_up().await;
    let (id, code) = app.create_group("Kube club").await;
    assert_eq!(code.len(), 10, "a ten-character code: {code}");

    let friend = app.other_client();
    let name = friend.signed_up().await;
    let typed = format!("{}-{}", code[..5].to_lowercase(), &code[5..]);
    let joined = friend.post_json("/api/v1/groups/join", &json!({"code": typed})).await;
    assert_eq!(joined.status(), 200, "a code typed in lower case with a dash works");
    assert_eq!(json_of(joined).await["members"], 2);

    let mine = json_of(friend.get("/api/v1/groups").await).await;
    assert_eq!(mine["groups"][0]["id"], id.as_str());
    assert_eq!(mine["groups"][0]["is_owner"], false);
    let seen = group(&friend, &id).await;
    let names: Vec<&str> =
        seen["members"].as_array().expect("members").iter().filter_map(|m| m["username"].as_str()).collect();
    assert_eq!(names, [owner.as_str(), name.as_str()], "members in the order they joined");
    assert_eq!(member(&seen, &owner)["is_owner"], true);

    let page = friend.get("/groups").await.text().await.expect("html");
    assert!(page.contains(&format!("href=\"/groups/{id}\"")) && page.contains("Kube club"), "{page}");
    let wrong = friend.post_json("/api/v1/groups/join", &json!({"code": "AAAAAAAAAA"})).await;
    assert_eq!(wrong.status(), 422);
    assert!(json_of(wrong).await["error"]["message"].as_str().unwrap_or("").contains("No group has that invite code"));

    let loner = app.other_client();
    loner.signed_up().await;
    assert_eq!(json_of(loner.get("/api/v1/groups").await).await["groups"], json!([]));
    let empty = loner.get("/groups").await.text().await.expect("html");
    assert!(empty.contains("You are in no group yet — create one or join with a code"), "{empty}");
}

#[tokio::test]
async fn non_members_get_404_on_a_group_in_html_and_json() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, _) = app.create_group("Private").await;
    let stranger = app.other_client();
    stranger.signed_up().await;
    let unknown = uuid::Uuid::new_v4().to_string();

    for group in [id.as_str(), unknown.as_str(), "not-a-uuid"] {
        for (method, path, body) in [
            ("GET", format!("/api/v1/groups/{group}"), None),
            ("POST", format!("/api/v1/groups/{group}/leave"), None),
            ("POST", format!("/api/v1/groups/{group}/invite-code"), None),
            ("PUT", format!("/api/v1/groups/{group}/assignment"), Some(json!({"topic": "kubernetes", "count": 1}))),
            ("DELETE", format!("/api/v1/groups/{group}/assignment"), None),
            ("DELETE", format!("/api/v1/groups/{group}/members/{unknown}"), None),
        ] {
            let mut request = stranger.client.request(method.parse().expect("method"), stranger.url(&path));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), 404, "{method} {path}");
            assert_eq!(json_of(response).await["error"]["code"], "not_found", "{method} {path}");
        }
        let page = stranger.get(&format!("/groups/{group}")).await;
        assert_eq!(page.status(), 404, "the group page of {group}");
        assert!(!page.text().await.expect("html").contains("Private"), "the name does not leak");
        let form = stranger.post_form(&format!("/groups/{group}/invite-code"), &[]).await;
        assert_eq!(form.status(), 404, "the code form of {group}");
    }
}

#[tokio::test]
async fn a_member_who_has_not_opted_in_is_visible_to_nobody() {
    let app = spawn_app().await;
    let owner = app.signed_up().await;
    let (id, code) = app.create_group("Study").await;
    assert_eq!(
        json_of(app.put_json("/api/v1/me/settings", &json!({"share_progress": true})).await).await["share_progress"],
        true
    );
    let private = app.other_client();
    let quiet = private.signed_up().await;
    assert_eq!(private.post_json("/api/v1/groups/join", &json!({"code": code})).await.status(), 200);
    assert_eq!(json_of(private.get("/api/v1/me/settings").await).await["share_progress"], false, "off by default");
    answer_one(&private).await;

    // Neither the owner nor the member themselves see the private member's mastery, and
    // the group's aggregates leave it out.
    for (viewer, who) in [(&app, "the owner"), (&private, "the member")] {
        let seen = group(viewer, &id).await;
        let hidden = member(&seen, &quiet);
        assert_eq!(hidden["shares_progress"], false, "{who}");
        assert!(hidden.get("mastery").is_none(), "{who}: no mastery key at all: {hidden}");
        assert!(member(&seen, &owner)["mastery"].is_array(), "{who}: the sharing owner's mastery is there");
        assert_eq!(seen["sharing_members"], 1, "{who}");
        assert_eq!(seen["weak_topics"], json!([]), "{who}: the private answers are not in the aggregate");
        assert_eq!(seen["weak_concepts"], json!([]), "{who}");
        let page = viewer.get(&format!("/groups/{id}")).await.text().await.expect("html");
        let item = member_item(&page, &quiet);
        assert!(!item.contains("<table") && !item.contains("Kubernetes"), "{who}: no mastery in the HTML: {item}");
        assert!(!page.contains("id=\"group-topics\""), "{who}: no aggregate table");
    }

    // Opting in shows it, opting out hides it again.
    assert_eq!(private.put_json("/api/v1/me/settings", &json!({"share_progress": true})).await.status(), 200);
    let seen = group(&app, &id).await;
    let shared = member(&seen, &quiet)["mastery"].as_array().expect("now shared").clone();
    let kubernetes = shared.iter().find(|t| t["topic_id"] == "kubernetes").expect("kubernetes");
    assert!(kubernetes["mastery"].as_f64().expect("tried") > 0.5, "{kubernetes}");
    assert_eq!(seen["weak_topics"][0]["topic_id"], "kubernetes");
    let page = app.get(&format!("/groups/{id}")).await.text().await.expect("html");
    assert!(member_item(&page, &quiet).contains("<table"), "the HTML shows it too");

    let form = private.post_form("/account/sharing", &[]).await;
    assert_eq!(form.status(), 303, "the settings form turns sharing off");
    let seen = group(&app, &id).await;
    assert!(member(&seen, &quiet).get("mastery").is_none(), "hidden again");
    assert_eq!(seen["weak_topics"], json!([]));
    let account = private.get("/account").await.text().await.expect("html");
    assert!(account.contains("id=\"share_progress\" value=\"on\">"), "the box is unchecked: {account}");
}

#[tokio::test]
async fn replacing_the_code_invalidates_the_old_one() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, old) = app.create_group("Rotating").await;
    let member = app.other_client();
    member.signed_up().await;
    assert_eq!(member.post_json("/api/v1/groups/join", &json!({"code": old})).await.status(), 200);

    let refused = member.post_json(&format!("/api/v1/groups/{id}/invite-code"), &json!({})).await;
    assert_eq!(refused.status(), 403, "a member who is not the owner cannot replace it");

    let rotated = json_of(app.post_json(&format!("/api/v1/groups/{id}/invite-code"), &json!({})).await).await;
    let new = rotated["invite_code"].as_str().expect("a new code").to_string();
    assert_ne!(new, old);
    let late = app.other_client();
    late.signed_up().await;
    assert_eq!(
        late.post_json("/api/v1/groups/join", &json!({"code": old})).await.status(),
        422,
        "the old code is dead"
    );
    assert_eq!(late.post_json("/api/v1/groups/join", &json!({"code": new})).await.status(), 200, "the new one works");

    let form = app.post_form(&format!("/groups/{id}/invite-code"), &[]).await;
    assert_eq!(form.status(), 303, "the owner's form replaces it too");
    assert_ne!(group(&app, &id).await["invite_code"], new.as_str());
}

#[tokio::test]
async fn leaving_hands_the_group_on_and_the_last_one_out_deletes_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, code) = app.create_group("Leavers").await;
    let second = app.other_client();
    let heir = second.signed_up().await;
    second.post_json("/api/v1/groups/join", &json!({"code": code})).await;
    let third = app.other_client();
    third.signed_up().await;
    third.post_json("/api/v1/groups/join", &json!({"code": code})).await;

    assert_eq!(third.post_json(&format!("/api/v1/groups/{id}/leave"), &json!({})).await.status(), 204);
    assert_eq!(third.get(&format!("/api/v1/groups/{id}")).await.status(), 404, "a former member is a stranger");
    assert_eq!(json_of(third.get("/api/v1/groups").await).await["groups"], json!([]));

    let left = app.post_form(&format!("/groups/{id}/leave"), &[]).await;
    assert_eq!(left.status(), 303);
    assert_eq!(left.headers()["location"], "/groups?done=passed");
    let seen = group(&second, &id).await;
    assert_eq!(member(&seen, &heir)["is_owner"], true, "the next member owns it");
    assert_eq!(seen["can_manage"], true);

    assert_eq!(second.post_json(&format!("/api/v1/groups/{id}/leave"), &json!({})).await.status(), 204);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM groups").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(rows, 0, "the empty group is gone");
}

#[tokio::test]
async fn the_owner_sets_an_assignment_and_sees_who_did_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, code) = app.create_group("Homework").await;
    let keen = app.other_client();
    let done = keen.signed_up().await;
    keen.post_json("/api/v1/groups/join", &json!({"code": code})).await;
    let path = format!("/api/v1/groups/{id}/assignment");

    let refused = keen.put_json(&path, &json!({"topic": "kubernetes", "count": 1})).await;
    assert_eq!(refused.status(), 403, "members cannot set it");
    for (body, case) in [
        (json!({"topic": "cooking", "count": 1}), "unknown topic"),
        (json!({"topic": "kubernetes", "count": 0}), "no questions"),
        (json!({"topic": "kubernetes", "count": 1, "due_on": "24/12/2026"}), "not a date"),
        (json!({"topic": "kubernetes", "count": 1, "due_on": "2020-01-01"}), "a date that has passed"),
        (json!({"topic": "kubernetes", "count": 99}), "more questions than the topic has"),
    ] {
        assert_eq!(app.put_json(&path, &body).await.status(), 422, "{case}");
    }
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).format("%Y-%m-%d").to_string();
    let set = app.put_json(&path, &json!({"topic": "Kubernetes", "count": 1, "due_on": due})).await;
    assert_eq!(set.status(), 200);
    let set = json_of(set).await;
    assert_eq!((set["topic_id"].as_str(), set["due_on"].as_str()), (Some("kubernetes"), Some(due.as_str())));

    // A skipped question is not the assignment done.
    let started = json_of(keen.start_interview(&json!({"topics": ["kubernetes"], "count": 1})).await).await;
    let (sid, sq) = (started["id"].as_str().expect("interview"), started["question"]["id"].as_str().expect("q"));
    let skipped =
        keen.post_json(&format!("/api/v1/interviews/{sid}/answers"), &json!({"question_id": sq, "skip": true})).await;
    assert_eq!(skipped.status(), 200);
    let seen = group(&app, &id).await;
    let keen_row = member(&seen, &done);
    assert_eq!(
        (keen_row["assignment_answers"].as_i64(), keen_row["assignment_done"].as_bool()),
        (Some(0), Some(false))
    );

    answer_one(&keen).await;
    let seen = group(&app, &id).await;
    let keen_row = member(&seen, &done);
    assert_eq!((keen_row["assignment_answers"].as_i64(), keen_row["assignment_done"].as_bool()), (Some(1), Some(true)));
    let owner_row = seen["members"].as_array().expect("members").iter().find(|m| m["is_owner"] == true).expect("owner");
    assert_eq!(owner_row["assignment_done"], false);
    assert!(keen_row.get("mastery").is_none(), "doing the assignment shows no mastery");
    let page = app.get(&format!("/groups/{id}")).await.text().await.expect("html");
    assert!(member_item(&page, &done).contains("assignment done"), "{page}");
    assert!(page.contains("assignment: 0 of 1 answered"), "the owner has not done it: {page}");
    assert!(
        page.contains(r#"href="/practice?topic=kubernetes&amp;count=1""#),
        "a button starts the assignment: {page}"
    );
    // The due date reads as the site's other dates do ("Dec 10", with the year when it is
    // not this year's), the box keeps ISO.
    let today = chrono::Utc::now().date_naive();
    let date = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").expect("date");
    let label = date.format(if date.year() == today.year() { "%b %-d" } else { "%b %-d, %Y" }).to_string();
    assert!(page.contains(&format!(r#"<time datetime="{due}">{label}</time>"#)), "{page}");
    assert!(page.contains(&format!(r#"type="date" value="{due}""#)), "{page}");
    // Due next year in this month: without its year it reads as due this month.
    let next_year = format!("{}-{:02}-28", today.year() + 1, today.month());
    let set = app.put_json(&path, &json!({"topic": "kubernetes", "count": 1, "due_on": next_year})).await;
    assert_eq!(set.status(), 200);
    let page = app.get(&format!("/groups/{id}")).await.text().await.expect("html");
    let label = format!("{} 28, {}", today.format("%b"), today.year() + 1);
    assert!(page.contains(&format!(r#"<time datetime="{next_year}">{label}</time>"#)), "{page}");

    // Refused on the page: the reason sits in the form, what was typed stays in it, and
    // the field to fix is focused (so the browser scrolls to it); nothing changed.
    for (count, due_on, focused) in [("3", "2020-01-01", "assignment-due"), ("many", "", "assignment-count")] {
        let refused = app
            .post_form(
                &format!("/groups/{id}/assignment"),
                &[("topic", "docker"), ("count", count), ("due_on", due_on)],
            )
            .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.expect("html");
        let form = &page[page.find("id=\"assignment-heading\"").expect("the form")..];
        assert!(form.contains("id=\"assignment-error\"") && form.contains("Nothing was changed."), "{form}");
        assert!(
            form.contains(&format!(r#"value="{count}""#)) && form.contains(&format!(r#"value="{due_on}""#)),
            "{form}"
        );
        assert!(form.contains(r#"<option value="docker" selected>"#), "{form}");
        let input = &form[form.find(&format!("id=\"{focused}\"")).expect("input")..];
        assert!(input[..input.find('>').expect("tag end")].contains("autofocus"), "{focused}: {form}");
        assert!(!page.contains("id=\"group-error\""), "the reason is by the form, not at the top");
    }
    assert_eq!(group(&app, &id).await["assignment"]["topic_id"], "kubernetes", "the assignment set is unchanged");

    let cleared = app.post_form(&format!("/groups/{id}/assignment"), &[("action", "clear")]).await;
    assert_eq!(cleared.status(), 303);
    assert_eq!(group(&app, &id).await["assignment"], Value::Null);
}

#[tokio::test]
async fn the_owner_or_an_admin_removes_members_but_not_the_owner() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, code) = app.create_group("Pruned").await;
    let member = app.other_client();
    member.signed_up().await;
    member.post_json("/api/v1/groups/join", &json!({"code": code})).await;
    let member_id = json_of(member.get("/api/v1/me").await).await["id"].as_str().expect("id").to_string();
    let owner_id = json_of(app.get("/api/v1/me").await).await["id"].as_str().expect("id").to_string();

    let refused = member.delete(&format!("/api/v1/groups/{id}/members/{owner_id}")).await;
    assert_eq!(refused.status(), 403, "members cannot remove anyone");
    let owner = app.delete(&format!("/api/v1/groups/{id}/members/{owner_id}")).await;
    assert_eq!(owner.status(), 422, "the owner cannot be removed");

    let admin = app.other_client();
    let name = admin.signed_up().await;
    app.make_admin(&name).await;
    assert_eq!(group(&admin, &id).await["can_manage"], true, "an admin sees and manages any group");
    let listed = json_of(admin.get("/api/v1/admin/groups").await).await;
    assert_eq!(
        (listed["groups"][0]["id"].as_str(), listed["groups"][0]["members"].as_i64()),
        (Some(id.as_str()), Some(2))
    );
    let page = admin.get("/admin/users").await.text().await.expect("html");
    assert!(page.contains(&format!("href=\"/groups/{id}\">Pruned</a>")), "the admin page links every group");
    assert_eq!(member.get("/api/v1/admin/groups").await.status(), 403);
    let removed = admin.delete(&format!("/api/v1/groups/{id}/members/{member_id}")).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(member.get(&format!("/api/v1/groups/{id}")).await.status(), 404, "the removed member is out");
    // and stays out: the code they know was replaced.
    let rejoin = member.post_json("/api/v1/groups/join", &json!({"code": code})).await;
    assert_eq!(rejoin.status(), 422, "the old code no longer works");
    let message = json_of(rejoin).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("replace"), "{message}");
    assert_eq!(member.get(&format!("/api/v1/groups/{id}")).await.status(), 404);
    let fresh = group(&app, &id).await["invite_code"].as_str().expect("the new code").to_string();
    assert_ne!(fresh, code);
    let newcomer = app.other_client();
    newcomer.signed_up().await;
    let joined = newcomer.post_json("/api/v1/groups/join", &json!({"code": fresh})).await;
    assert!(joined.status().is_success(), "the new code works: {}", joined.status());

    // On the page, the owner is told the code changed.
    let newcomer_id = json_of(newcomer.get("/api/v1/me").await).await["id"].as_str().expect("id").to_string();
    let removed = app.post_form(&format!("/groups/{id}/members/{newcomer_id}/remove"), &[]).await;
    assert_eq!(removed.status(), 303);
    let location = removed.headers()["location"].to_str().expect("location").to_string();
    let page = app.get(&location).await.text().await.expect("html");
    assert!(page.contains("invite code replaced so they cannot rejoin"), "{page}");
}

#[tokio::test]
async fn the_group_pages_create_and_join_with_forms() {
    let app = spawn_app().await;
    app.signed_up().await;
    let empty = app.post_form("/groups", &[("name", "   ")]).await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.expect("html").contains("Give the group a name."));
    let created = app.post_form("/groups", &[("name", "Form group")]).await;
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with("/groups/") && location.ends_with("?done=created"), "{location}");
    let page = app.get(&location).await.text().await.expect("html");
    let code = page.split("<code id=\"invite-code\">").nth(1).and_then(|r| r.split('<').next()).expect("code shown");
    assert!(page.contains("Set an assignment") && page.contains("No member shares their progress yet"), "{page}");

    let friend = app.other_client();
    friend.signed_up().await;
    let bad = friend.post_form("/groups/join", &[("code", "nope")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("html").contains("No group has that invite code"));
    let joined = friend.post_form("/groups/join", &[("code", code)]).await;
    assert_eq!(joined.status(), 303);
    let page = friend.get(joined.headers()["location"].to_str().expect("location")).await.text().await.expect("html");
    assert!(
        page.contains("You joined “Form group”.") && !page.contains("Set an assignment"),
        "members see no owner forms"
    );
}

/// History offers sharing answers for marking only to a learner in a study group (a
/// walk-through's learner, in none, was offered it).
#[tokio::test]
async fn history_offers_sharing_only_to_a_member_of_a_group() {
    let app = spawn_app().await;
    app.signed_up().await;
    answer_one(&app).await;
    let page = app.get("/history").await.text().await.expect("html");
    assert!(page.contains(">all your answers</a>") && !page.contains("share for marking"), "in no group");
    app.create_group("Kube club").await;
    let page = app.get("/history").await.text().await.expect("html");
    assert!(page.contains("all your answers, share for marking"), "in a group");
}

#[tokio::test]
async fn the_sign_up_page_of_an_invite_link_names_the_group_or_says_the_code_is_not_valid() {
    // Arrange: a group, and a visitor who opens its invite link.
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, code) = app.create_group("Night <owls> & co").await;
    let visitor = app.other_client();

    // Act / Assert: a valid code, as sent or typed in any case with dashes, names the group.
    let dashed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    for sent in [code.as_str(), dashed.as_str()] {
        let page = visitor.get(&format!("/signup?code={sent}")).await;
        assert_eq!(page.status(), 200, "{sent}");
        let page = page.text().await.expect("html");
        assert!(
            page.contains("You're joining <strong>Night &#60;owls&#62; &#38; co</strong>"),
            "{sent}: the group is named, escaped: {page}"
        );
        assert!(!page.contains("class=\"error\""), "{sent}: no error for a valid code");
        assert!(page.contains(&format!("value=\"{sent}\"")), "{sent}: the code stays in its box");
    }

    // A code no group has (mistyped, or replaced by the owner): said at once, before the
    // form is filled in, and the code's box takes the keyboard.
    for (sent, case) in [("ABCDEFGHJK", "a well-formed code of no group"), ("not-a-code", "not a code at all")] {
        let page = visitor.get(&format!("/signup?code={sent}")).await.text().await.expect("html");
        assert!(page.contains("That invite code is not valid"), "{case}: {page}");
        assert!(page.contains("Or empty the Invite code box"), "{case}: sign-up is open, so it says how to go on");
        assert!(!page.contains("You're joining"), "{case}: no group named");
        let field = &page[page.find("id=\"invite_code\"").expect("the code's box")..];
        let field = &field[..field.find('>').expect("tag end")];
        assert!(field.contains("aria-invalid=\"true\"") && field.contains(" autofocus"), "{case}: {field}");
        assert!(field.contains("aria-describedby=\"auth-error\""), "{case}: {field}");
    }

    // Sent with a form refused for another reason (a short password), the group is still named.
    let refused =
        visitor.post_form("/signup", &[("username", "newcomer"), ("password", "short"), ("invite_code", &code)]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("html");
    assert!(page.contains("You're joining <strong>Night &#60;owls&#62; &#38; co</strong>"), "{page}");
    // Sent with a code that is not valid: the same message as the link's.
    let refused = visitor
        .post_form(
            "/signup",
            &[("username", "newcomer"), ("password", "correct horse battery"), ("invite_code", "ABCDEFGHJK")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("html");
    assert!(page.contains("That invite code is not valid"), "{page}");
    assert!(page.contains("aria-invalid=\"true\" autofocus"), "the code's box takes the keyboard: {page}");
    // No code: nothing said about one.
    let plain = visitor.get("/signup").await.text().await.expect("html");
    assert!(!plain.contains("You're joining") && !plain.contains("invite code is not valid"), "{plain}");
}

#[tokio::test]
async fn an_invite_link_followed_while_logged_in_fills_in_the_join_form() {
    // Arrange: a group, and someone already logged in who is sent its invite link.
    let app = spawn_app().await;
    app.signed_up().await;
    let (group, code) = app.create_group("Kube club").await;
    let member = app.other_client();
    member.signed_up().await;

    // Act: the link is opened.
    let followed = member.get(&format!("/signup?code={code}")).await;

    // Assert: the groups page's join form, its code filled in; joining from it works.
    assert_eq!(followed.status(), 303);
    let to = followed.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(to, format!("/groups?code={code}#join-heading"));
    let page = member.get(&to).await.text().await.expect("html");
    let field = &page[page.find("id=\"join-code\"").expect("the code's box")..];
    assert!(field[..field.find('>').expect("tag end")].contains(&format!("value=\"{code}\"")), "{page}");
    let joined = member.post_form("/groups/join", &[("code", &code)]).await;
    assert_eq!(joined.status(), 303);
    assert!(member.get(&format!("/groups/{group}")).await.status().is_success(), "a member now");
    // Without a code, the link leads to practice as before; a code is escaped on the way.
    let plain = member.get("/signup").await;
    assert_eq!(plain.headers().get("location").and_then(|v| v.to_str().ok()), Some("/practice"));
    let odd = member.get("/signup?code=a%22b%26c").await;
    let to = odd.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(to, "/groups?code=a%22b%26c#join-heading");
    let page = member.get(&to).await.text().await.expect("html");
    assert!(page.contains("value=\"a&#34;b&#38;c\""), "escaped in the box: {page}");
}
