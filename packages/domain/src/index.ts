// Pure domain logic (no I/O, no workspace dependencies). Implementation in progress.
export {};
