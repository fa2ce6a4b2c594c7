package io.viewstamp.vsr;

/** What a replica is doing, as in the paper. */
public enum Status {

	/** Serving its view: the primary prepares and commits, backups follow. */
	NORMAL,

	/** Moving to a new view; no prepare is accepted or sent until the view starts. */
	VIEW_CHANGE,

	/** State was lost (or is being rebuilt from peers); the replica neither votes nor acknowledges. */
	RECOVERING

}
