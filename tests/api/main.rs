//! Integration tests: the real server on a random port with its own SQLite file.
mod auth;
mod bank;
mod bodies;
mod browser;
mod claims;
mod follow_ups;
mod grade;
mod headers;
mod health;
mod helpers;
mod history;
mod interviews;
mod learning;
mod openapi;
mod origin;
mod pages;
mod time_taken;
