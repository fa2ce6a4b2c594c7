package io.viewstamp.test;

import java.util.ArrayList;
import java.util.List;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;

import org.springframework.context.ApplicationEventPublisher;

/**
 * A bean that keeps the rules with an injected collaborator, marked {@code transient} as the
 * starter asks: Spring's event publisher is no state, and the kit must not compare it.
 */
@Replicated
public class Announcements {

	private final transient ApplicationEventPublisher events;

	private final List<String> published = new ArrayList<>();

	public Announcements(ApplicationEventPublisher events) {
		this.events = events;
	}

	public int announce(String text) {
		this.published.add(text);
		return this.published.size();
	}

	@ReadOnly
	public List<String> published() {
		return List.copyOf(this.published);
	}

}
