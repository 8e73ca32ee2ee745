package dev.mt5augment.contracts.task;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The one place where tasks become prompts. Defaults follow the model card's formats; a worker may
 * override any of them from its configuration ({@link #withOverrides(Map)}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptTemplates {

    private static final Map<Task, String> DEFAULTS = Map.of(
            Task.AUGMENT, "{text}",
            Task.CLASSIFY, "文本分类。\n候选标签：{labels}。\n文本内容：{text}",
            Task.SUMMARIZE, "为下面的文章生成摘要：\n{text}",
            Task.TITLE, "为以下的文本生成标题：\n{text}",
            Task.KEYWORDS, "抽取关键词：\n{text}",
            Task.SENTIMENT, "情感分析：{text}",
            Task.TRANSLATE_EN, "翻译成英文：{text}",
            Task.CUSTOM, "{text}");

    private static final PromptTemplates DEFAULT_TEMPLATES = new PromptTemplates(parseAll(DEFAULTS));

    private final Map<Task, PromptTemplate> templates;

    private PromptTemplates(Map<Task, PromptTemplate> templates) {
        this.templates = templates;
    }

    /** The model card's templates. */
    public static PromptTemplates defaults() {
        return DEFAULT_TEMPLATES;
    }

    /**
     * These templates with some replaced, keyed by task wire name ({@code "augment"},
     * {@code "classify"}, ...), as a worker reads them from its configuration.
     *
     * @throws IllegalArgumentException on an unknown task name, a template without {@code {text}},
     *                                  or a {@code classify} template without {@code {labels}}
     */
    public PromptTemplates withOverrides(Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        Map<Task, PromptTemplate> merged = new EnumMap<>(templates);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Task task = Task.fromWireName(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "no task named '" + e.getKey() + "'; tasks are "
                            + java.util.Arrays.stream(Task.values()).map(Task::wireName).collect(Collectors.joining(", "))));
            PromptTemplate t = PromptTemplate.parse(e.getValue());
            if (task.needsLabels() && !t.usesLabels()) {
                throw new IllegalArgumentException("the " + task.wireName() + " template must contain "
                        + PromptTemplate.LABELS + ": '" + e.getValue() + "'");
            }
            merged.put(task, t);
        }
        return new PromptTemplates(Map.copyOf(merged));
    }

    public PromptTemplate template(Task task) {
        return templates.get(Objects.requireNonNull(task, "task"));
    }

    /** The prompt the model sees for one text of a request. */
    public String render(Task task, String text, java.util.List<String> labels) {
        return template(task).render(text, labels);
    }

    private static Map<Task, PromptTemplate> parseAll(Map<Task, String> sources) {
        Map<Task, PromptTemplate> m = new EnumMap<>(Task.class);
        sources.forEach((task, src) -> m.put(task, PromptTemplate.parse(src)));
        return Map.copyOf(m);
    }
}
