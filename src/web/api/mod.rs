//! JSON APIs. Each module mounts its own routes and answers every refusal in JSON.

pub mod manage;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    manage::routes(cfg);
}
