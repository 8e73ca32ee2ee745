package dev.mt5augment.contracts.task;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PromptTemplatesTest {

    private final PromptTemplates defaults = PromptTemplates.defaults();

    @Test
    void theModelCardFormats() {
        assertEquals("今天天气很好", defaults.render(Task.AUGMENT, "今天天气很好", List.of()));
        assertEquals("文本分类。\n候选标签：体育,财经。\n文本内容：比赛结束了", defaults.render(Task.CLASSIFY, "比赛结束了", List.of("体育", "财经")));
        assertEquals("为下面的文章生成摘要：\n正文", defaults.render(Task.SUMMARIZE, "正文", List.of()));
        assertEquals("为以下的文本生成标题：\n正文", defaults.render(Task.TITLE, "正文", List.of()));
        assertEquals("抽取关键词：\n正文", defaults.render(Task.KEYWORDS, "正文", List.of()));
        assertEquals("情感分析：好吃", defaults.render(Task.SENTIMENT, "好吃", List.of()));
        assertEquals("翻译成英文：你好", defaults.render(Task.TRANSLATE_EN, "你好", List.of()));
        assertEquals("any prompt {labels}", defaults.render(Task.CUSTOM, "any prompt {labels}", List.of("x")));
    }

    @Test
    void substitutesInOnePassSoTextCannotInjectPlaceholders() {
        assertEquals("文本分类。\n候选标签：a,b。\n文本内容：{labels} and {text}",
                defaults.render(Task.CLASSIFY, "{labels} and {text}", List.of("a", "b")));
    }

    @Test
    void workerConfigurationOverridesSomeTemplates() {
        PromptTemplates t = defaults.withOverrides(Map.of("augment", "paraphrase: {text}", "classify", "{text} => {labels}?"));
        assertEquals("paraphrase: x", t.render(Task.AUGMENT, "x", List.of()));
        assertEquals("x => a,b?", t.render(Task.CLASSIFY, "x", List.of("a", "b")));
        assertEquals(defaults.template(Task.TITLE), t.template(Task.TITLE));
        assertEquals("{text}", defaults.template(Task.AUGMENT).source(), "overriding leaves the original untouched");
    }

    @Test
    void badOverridesFailAtConfigurationTime() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("paraphrase", "{text}")));
        assertTrue(unknown.getMessage().contains("augment, classify"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("title", "no placeholder")));
        assertThrows(IllegalArgumentException.class, () -> defaults.withOverrides(Map.of("classify", "{text} without labels")));
    }

    @Test
    void everyTaskHasATemplateAndAWireName() {
        for (Task task : Task.values()) {
            assertNotNull(defaults.template(task), task.name());
            assertEquals(task, Task.fromWireName(task.wireName()).orElseThrow());
        }
        assertTrue(Task.fromWireName("AUGMENT").isEmpty(), "wire names are case-sensitive");
    }
}
