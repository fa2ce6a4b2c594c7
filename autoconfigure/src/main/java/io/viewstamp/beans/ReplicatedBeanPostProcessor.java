package io.viewstamp.beans;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.viewstamp.Replicated;
import io.viewstamp.runtime.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Replaces every bean whose class is annotated {@link Replicated} with a class-based proxy (so the
 * bean needs no interface) through which its commands go to the log, and registers the real bean
 * in the {@link BeanStateMachine}, which applies the committed commands to it. A bean whose
 * commands or state Jackson can not carry fails startup, naming the bean and the method or field.
 *
 * <p>The replica starts after the application context, so the client is looked up at the first call.
 */
public final class ReplicatedBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

	private final Supplier<BeanStateMachine> stateMachine;

	private final Supplier<? extends @Nullable CommandGateway> client;

	/** The application's observers of commands, resolved once every singleton exists. */
	private final @Nullable ObjectProvider<CommandObserver> observers;

	/** Read at each command, so that observers resolved after the proxies were made still see them. */
	private volatile CommandObserver commandObserver = CommandObserver.NONE;

	/**
	 * @param stateMachine the state machine the replica runs
	 * @param client where the proxies send commands (this replica's client), looked up at each command;
	 * {@code null} until the replica runs
	 */
	public ReplicatedBeanPostProcessor(BeanStateMachine stateMachine, Supplier<? extends @Nullable CommandGateway> client) {
		this(singleton(Objects.requireNonNull(stateMachine, "stateMachine")), client, null);
	}

	/**
	 * @param stateMachine the state machine the replica runs, looked up once, when the first
	 * replicated bean is post-processed: a post-processor is created before the application's
	 * beans, and creating the state machine then would create the JSON mapper it needs too early
	 * for the other post-processors to see it
	 * @param client where the proxies send commands (this replica's client), looked up at each command;
	 * {@code null} until the replica runs
	 * @param observers the {@link CommandObserver} beans, told of every command; looked up once every
	 * singleton exists (a post-processor is created before the beans, such as a meter registry, an
	 * observer needs), or {@code null} for none
	 */
	public ReplicatedBeanPostProcessor(Supplier<BeanStateMachine> stateMachine,
			Supplier<? extends @Nullable CommandGateway> client, @Nullable ObjectProvider<CommandObserver> observers) {
		this.stateMachine = SingletonSupplier.of(Objects.requireNonNull(stateMachine, "stateMachine"));
		this.client = Objects.requireNonNull(client, "client");
		this.observers = observers;
	}

	private static Supplier<BeanStateMachine> singleton(BeanStateMachine stateMachine) {
		return () -> stateMachine;
	}

	/**
	 * Resolves the observers now that every singleton exists; the proxies made before read them at
	 * each command, so every command is observed. No command runs before: the replica starts after.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (this.observers == null) {
			return;
		}
		List<CommandObserver> all = this.observers.orderedStream().toList();
		this.commandObserver = switch (all.size()) {
			case 0 -> CommandObserver.NONE;
			case 1 -> all.get(0);
			default -> new CompositeCommandObserver(all);
		};
	}

	/** Who is told of each command; {@link CommandObserver#NONE} when no observer bean exists. */
	public CommandObserver getCommandObserver() {
		return this.commandObserver;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
		if (!AnnotatedElementUtils.hasAnnotation(type, Replicated.class)) {
			return bean;
		}
		ReplicatedBean replicated;
		try {
			replicated = this.stateMachine.get().register(beanName, bean, type);
		}
		catch (IllegalStateException ex) {
			throw new BeanCreationException(beanName, String.valueOf(ex.getMessage()), ex);
		}
		ProxyFactory factory = new ProxyFactory();
		// The target's class is the proxy's superclass; a target that is already a CGLIB proxy is subclassed by its user class.
		factory.setTarget(bean);
		factory.setProxyTargetClass(true);
		factory.addAdvice(new ReplicatedBeanInterceptor(replicated, this.stateMachine.get(), this.client,
				this::getCommandObserver));
		return factory.getProxy(type.getClassLoader());
	}

}
