/**
 * The v1 wire format of mt5-augment, shared by producers and workers: requests and their
 * normalisation ({@code request}), prompt templates per task ({@code task}), results
 * ({@code result}), error codes ({@code error}), dead-letter headers ({@code deadletter}), topic
 * and header names ({@code messaging}), the JSON codec ({@code codec}) and the JSON Schemas
 * ({@code schema}). Depends on Jackson only.
 */
package dev.mt5augment.contracts;
