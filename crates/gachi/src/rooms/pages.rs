//! Server-rendered pages: home, room settings, joining by code, the language toggle (the
//! invitation pages are `invite_pages`). Forms post back here
//! and redirect (303) to the page that shows the result.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use storage::Role;

use crate::rooms::member::Member;
use crate::rooms::service::{self as rooms, RoomInput};
use crate::rooms::views::{IndexPage, RoomItem};
use crate::state::AppState;
use crate::web::confirm::{self, ConfirmForm, Question, confirmed};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Form, Query};
use crate::web::flash;
use crate::web::http::{cookie, local_path, see_other};
use crate::web::kept::{self, Kept};
use crate::web::session::{Auth, MaybeAuth};
use crate::web::views::{self, PageCtx};
use i18n::Lang;

/// `user_id=…`: whom the ownership goes to.
#[derive(Deserialize)]
pub struct OwnerForm {
    user_id: Option<String>,
    /// `yes` once asked (web/confirm.rs).
    confirm: Option<String>,
}

pub async fn home(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    ctx: PageCtx,
    jar: CookieJar,
) -> AppResult<Response> {
    // The room-create form, as it was sent when it did not validate.
    let (create_name, create_description, create_errors) = auth
        .as_ref()
        .and_then(|a| kept_room_form(&jar, a, ctx.lang, "/"))
        .unwrap_or_default();
    let rooms = match &auth {
        Some(a) => state
            .store
            .rooms_of(&a.user.id)
            .await?
            .into_iter()
            .map(|(r, role)| RoomItem {
                id: r.id,
                name: r.name,
                is_owner: role == Role::Owner,
            })
            .collect(),
        None => Vec::new(),
    };
    views::render(&IndexPage {
        ctx,
        rooms,
        create_name,
        create_description,
        create_errors,
    })
}

/// The room form (create and rename) as it is posted, with its confirmation-free fields.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoomForm {
    name: String,
    description: String,
}

impl RoomForm {
    fn input(&self) -> RoomInput {
        RoomInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
        }
    }

    fn kept_body(&self) -> String {
        kept::body([
            ("name", self.name.as_str()),
            ("description", self.description.as_str()),
        ])
    }
}

/// A room form that did not validate: kept, and the browser sent back to `url` to fix it.
fn keep_and_return(
    state: &AppState,
    jar: CookieJar,
    auth: &Auth,
    url: &str,
    form: &RoomForm,
    err: &AppError,
) -> Response {
    let kept = Kept {
        user_id: auth.user.id.clone(),
        url: url.to_owned(),
        body: form.kept_body(),
        errors: err.fields(),
    };
    (kept::keep(jar, kept, state.secure_cookies), see_other(url)).into_response()
}

pub async fn create_room(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
    Form(f): Form<RoomForm>,
) -> AppResult<Response> {
    let input = f.input();
    let (name, description) = match rooms::validate(input.name.as_deref(), input.description.as_deref()) {
        Ok(v) => v,
        Err(err @ AppError::Validation(_)) => return Ok(keep_and_return(&state, jar, &auth, "/", &f, &err)),
        Err(err) => return Err(err),
    };
    let room = rooms::create(&state, &auth.user, &name, &description).await?;
    let jar = flash::add(
        kept::clear(jar, state.secure_cookies),
        "room_created",
        state.secure_cookies,
    );
    Ok((jar, see_other(&format!("/rooms/{}", room.id))).into_response())
}

pub async fn rename(
    State(state): State<AppState>,
    member: Member,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<RoomForm>,
) -> AppResult<Response> {
    member.owned()?;
    let input = f.input();
    let (name, description) = match rooms::validate(input.name.as_deref(), input.description.as_deref()) {
        Ok(v) => v,
        Err(err @ AppError::Validation(_)) => {
            return Ok(keep_and_return(
                &state,
                jar,
                &member.auth,
                &format!("/rooms/{id}"),
                &f,
                &err,
            ));
        }
        Err(err) => return Err(err),
    };
    state
        .store
        .update_room(&id, &name, &description, state.now_ms())
        .await?;
    let jar = flash::add(
        kept::clear(jar, state.secure_cookies),
        "room_renamed",
        state.secure_cookies,
    );
    Ok((jar, see_other(&format!("/rooms/{id}"))).into_response())
}

/// A room form as it was sent: name, description and (field, message) errors.
pub type KeptRoomForm = (String, String, Vec<(String, String)>);

/// The room form kept after a failed create or rename at `url`.
pub fn kept_room_form(jar: &CookieJar, auth: &Auth, lang: Lang, url: &str) -> Option<KeptRoomForm> {
    let kept = kept::find(jar, &auth.user.id, url)?;
    let fields = kept::fields(&kept.body);
    let errors = kept
        .errors
        .iter()
        .map(|(f, k)| ((*f).to_owned(), lang.t(k).to_owned()))
        .collect();
    Some((
        fields.get("name").cloned().unwrap_or_default(),
        fields.get("description").cloned().unwrap_or_default(),
        errors,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    rooms::owned_room(&state, &id, &auth.user).await?;
    if !confirmed(&f.confirm) {
        let question = Question {
            title: "confirm-room-delete-title",
            detail: "confirm-room-delete-detail",
            ok: "confirm-room-delete-ok",
        };
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{id}/delete"),
            Vec::new(),
            format!("/rooms/{id}"),
        );
    }
    state.store.delete_room(&id).await?;
    Ok((
        flash::add(jar, "room_deleted", state.secure_cookies),
        see_other("/"),
    )
        .into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path((id, user_id)): Path<(String, String)>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    if !confirmed(&f.confirm) {
        rooms::owned_room(&state, &id, &auth.user).await?;
        let question = Question {
            title: "confirm-remove-title",
            detail: "confirm-remove-detail",
            ok: "confirm-remove-ok",
        };
        let action = format!("/rooms/{id}/members/{user_id}/remove");
        return confirm::ask(ctx, question, action, Vec::new(), format!("/rooms/{id}"));
    }
    rooms::remove_member(&state, &id, &auth.user, &user_id).await?;
    let jar = flash::add(jar, "member_removed", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{id}"))).into_response())
}

pub async fn leave(
    State(state): State<AppState>,
    auth: Auth,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    if !confirmed(&f.confirm) {
        rooms::member_room(&state, &id, &auth.user).await?;
        let question = Question {
            title: "confirm-leave-title",
            detail: "confirm-leave-detail",
            ok: "confirm-leave-ok",
        };
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{id}/leave"),
            Vec::new(),
            format!("/rooms/{id}"),
        );
    }
    let me = auth.user.id.clone();
    rooms::remove_member(&state, &id, &auth.user, &me).await?;
    Ok((flash::add(jar, "left", state.secure_cookies), see_other("/")).into_response())
}

pub async fn transfer(
    State(state): State<AppState>,
    member: Member,
    ctx: PageCtx,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(f): Form<OwnerForm>,
) -> AppResult<Response> {
    let to = f.user_id.unwrap_or_default();
    if !confirmed(f.confirm.as_deref().unwrap_or("")) {
        member.owned()?;
        let question = Question {
            title: "confirm-transfer-title",
            detail: "confirm-transfer-detail",
            ok: "confirm-transfer-ok",
        };
        let fields = vec![("user_id".to_owned(), to)];
        return confirm::ask(
            ctx,
            question,
            format!("/rooms/{id}/transfer"),
            fields,
            format!("/rooms/{id}"),
        );
    }
    rooms::transfer(&state, &id, &member.auth.user, &to).await?;
    let jar = flash::add(jar, "owner_transferred", state.secure_cookies);
    Ok((jar, see_other(&format!("/rooms/{id}"))).into_response())
}

/// `GET /join?code=…`: the short-code form on the home page.
/// `?code=…` of the join form.
#[derive(Deserialize)]
pub struct JoinQuery {
    code: Option<String>,
}

pub async fn join(Query(q): Query<JoinQuery>) -> Response {
    let code = rooms::normalize_code(q.code.as_deref().unwrap_or(""));
    if code.is_empty() {
        return see_other("/");
    }
    see_other(&format!("/i/{code}"))
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/{ko|en}?next=…`: the language toggle (a cookie for a year). A logged-in user's
/// choice is also remembered on their account, so what is sent to them later speaks it.
pub async fn set_lang(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(lang): Path<String>,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let lang = Lang::parse(&lang).unwrap_or_default();
    if let Some(auth) = auth {
        state
            .store
            .set_user_lang(&auth.user.id, lang.code(), state.now_ms())
            .await?;
    }
    let choice = cookie(
        "lang",
        lang.code().to_owned(),
        "/",
        365 * 86_400,
        state.secure_cookies,
    );
    Ok((jar.add(choice), see_other(&local_path(q.next.as_deref()))).into_response())
}
