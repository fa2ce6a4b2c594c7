package io.viewstamp.vsr;

/** Why a replica repairs its log, which decides what it does once the repair is complete. */
enum RepairPurpose {

	/** A normal backup fell behind its primary. */
	CATCH_UP,

	/** A backup installs a start-view whose log does not connect to its own. */
	INSTALL_START_VIEW,

	/** The new primary's log does not connect to the chosen one. */
	BECOME_PRIMARY,

	/** A replica that lost its state brings in the primary's log. */
	RECOVER,

	/** A replica whose journal had a corrupt entry brings back what it held beyond it. */
	FAULTY,

	/** A replica told of a newer epoch brings in the committed op that started it. */
	ENTER_EPOCH

}
