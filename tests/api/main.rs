//! Integration tests: the real server on a random port with its own SQLite file.
mod auth;
mod bank;
mod bodies;
mod browser;
mod claims;
mod csrf;
mod follow_ups;
mod grade;
mod health;
mod helpers;
mod history;
mod interviews;
mod learning;
mod openapi;
mod origin;
mod pages;
mod sessions;
