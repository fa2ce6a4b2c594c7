package io.viewstamp.beans;

/** A checked exception a replicated method declares: it comes back to the caller as thrown. */
public class OutOfStockException extends Exception {

	private static final long serialVersionUID = 1L;

	public OutOfStockException(String message) {
		super(message);
	}

}
