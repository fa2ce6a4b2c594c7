package io.viewstamp.test;

import java.util.Map;
import java.util.TreeMap;

import io.viewstamp.Replicated;
import io.viewstamp.beans.BeanStateMachine;
import io.viewstamp.beans.ReplicatedBeanPostProcessor;
import io.viewstamp.runtime.CommandGateway;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.Aware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * One simulated replica's application: a Spring context of the application's classes, whose
 * {@code @Replicated} beans are proxied by the starter's own post-processor, as in a running
 * application, and registered in its own {@link BeanStateMachine}. A replica that crashes loses
 * this context, as a process loses its memory; it restarts with a new one.
 */
final class ReplicaApplication implements AutoCloseable {

	private final AnnotationConfigApplicationContext context;

	private final BeanStateMachine stateMachine;

	private ReplicaApplication(AnnotationConfigApplicationContext context, BeanStateMachine stateMachine) {
		this.context = context;
		this.stateMachine = stateMachine;
	}

	/**
	 * Starts the application.
	 * @param definition its classes and beans
	 * @param gateway where its proxies send commands; {@code null} for an application that applies
	 * commands only (a replica restored from a snapshot, checked against the others)
	 * @return the started application
	 */
	static ReplicaApplication start(ApplicationDefinition definition, @Nullable CommandGateway gateway) {
		BeanStateMachine stateMachine = new BeanStateMachine(definition.mapper().get());
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getBeanFactory().addBeanPostProcessor(new ReplicatedBeanPostProcessor(stateMachine, () -> gateway));
		if (!definition.configurations().isEmpty()) {
			context.register(definition.configurations().toArray(Class<?>[]::new));
		}
		for (ApplicationDefinition.SuppliedBean<?> bean : definition.beans()) {
			register(context, bean);
		}
		try {
			context.refresh();
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
		ReplicaApplication application = new ReplicaApplication(context, stateMachine);
		if (application.replicatedBeans().isEmpty()) {
			context.close();
			throw new IllegalArgumentException("The application given to ReplicatedBeansTester has no @Replicated bean: "
					+ "register the replicated beans (or the configurations that declare them) with withUserConfiguration "
					+ "or withBean");
		}
		return application;
	}

	private static <T> void register(AnnotationConfigApplicationContext context, ApplicationDefinition.SuppliedBean<T> bean) {
		context.registerBean(bean.type(), bean.supplier());
	}

	BeanStateMachine stateMachine() {
		return this.stateMachine;
	}

	/** The bean of {@code type}, the replicated proxy for a replicated bean. */
	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** The real objects behind the replicated beans, by bean name, sorted: what commands change. */
	Map<String, Object> replicatedBeans() {
		Map<String, Object> targets = new TreeMap<>();
		for (String name : this.context.getBeanDefinitionNames()) {
			Object bean = this.context.getBean(name);
			Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
			if (AnnotatedElementUtils.hasAnnotation(type, Replicated.class)) {
				targets.put(name, target(bean));
			}
		}
		return targets;
	}

	/**
	 * Whether {@code value} is one of this application's beans or what Spring injects beside them
	 * (the context, its bean factory, environment, event publisher, a provider): a collaborator,
	 * not state, whatever field holds it.
	 */
	boolean isCollaborator(Object value) {
		if (value instanceof ApplicationContext || value instanceof BeanFactory || value instanceof Environment
				|| value instanceof ResourceLoader || value instanceof ApplicationEventPublisher
				|| value instanceof ObjectFactory<?> || value instanceof Aware || AopUtils.isAopProxy(value)
				|| value.getClass().getName().startsWith("org.springframework.")) {
			return true;
		}
		ConfigurableListableBeanFactory factory = this.context.getBeanFactory();
		for (String name : factory.getSingletonNames()) {
			Object bean = factory.getSingleton(name);
			if (bean == value || (bean != null && target(bean) == value)) {
				return true;
			}
		}
		return false;
	}

	private static Object target(Object bean) {
		if (bean instanceof Advised advised) {
			try {
				Object target = advised.getTargetSource().getTarget();
				if (target != null) {
					return target;
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("Can not reach the bean behind proxy " + bean.getClass().getName(), ex);
			}
		}
		return bean;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
