//! The page in Chinese (simplified): every English text of the page, as written in the
//! components, to its Chinese. `{name}` placeholders stay as they are. Text in prompts and
//! completions is what the model reads and is never translated.
//!
//! Its length is the catalogue: one entry per text of the page.

pub const ZH: &[(&str, &str)] = &[
    ("Language", "语言"),
    ("Show the page in this language", "用这种语言显示页面"),
    (
        "A small transformer runs in this tab. Give it a few examples of a rule and watch it continue the pattern: that is in-context learning. Nothing you type leaves your browser.",
        "一个小型 Transformer 就在这个标签页里运行。给它几个体现某条规则的例子，看它把模式接着写下去：这就是上下文学习。你输入的任何内容都不会离开你的浏览器。",
    ),
    ("Compare and explain", "比较与解释"),
    ("Train it yourself", "亲手训练"),
    (" @ step {c}", " @ 第 {c} 步"),
    (
        "{n} held-out queries of the preset “{task}”, the same at every k, each with its first k examples",
        "预设“{task}”的 {n} 个留出查询，每个 k 都相同，各带其前 k 个例子",
    ),
    (
        "your own examples, each left out in turn as the query",
        "你自己的例子，轮流留出一个作为查询",
    ),
    ("{i} examples", "{i} 个例子"),
    ("final", "最终"),
    ("step {s}", "第 {s} 步"),
    ("greedy", "贪心"),
    ("T = {t}, seed {seed}", "T = {t}，种子 {seed}"),
    ("correct", "正确"),
    ("shuffled", "打乱"),
    ("flipped", "翻转"),
    ("What am I seeing?", "我看到的是什么？"),
    ("Why it matters: ", "为什么重要："),
    ("Read: ", "延伸阅读："),
    ("head {h} of layer {l}", "第 {l} 层的第 {h} 个头"),
    ("the mean of layer {l}'s heads", "第 {l} 层所有头的平均"),
    (
        "Attention of {what}: rows (reading) {r0}–{r1}, columns (read) {c0}–{c1}",
        "{what}的注意力：第 {r0}–{r1} 行（读取方），第 {c0}–{c1} 列（被读取方）",
    ),
    ("Saved {name}", "已保存 {name}"),
    (
        "The whole pattern of {what}: row = the position reading, column = the position read; brighter = more attention. Drag to zoom; click a cell to pick its row and column; arrow keys move, Esc zooms out.",
        "{what}的完整注意力模式：行 = 正在读取的位置，列 = 被读取的位置；越亮表示注意力越多。拖动可放大；点击格子选中它的行和列；方向键移动，Esc 缩小。",
    ),
    ("Show the whole window again", "重新显示整个窗口"),
    ("Zoom out", "缩小"),
    ("source position {k} “{c}”", "源位置 {k}“{c}”"),
    ("destination position {r} “{c}”", "目标位置 {r}“{c}”"),
    (
        "Attention heatmap of {what}, rows {r0} to {r1}, columns {c0} to {c1}; the table below reads the picked row",
        "{what}的注意力热图，第 {r0} 到 {r1} 行、第 {c0} 到 {c1} 列；下面的表格读出选中的行",
    ),
    (
        "Row {q} “{c}” reads most from: ",
        "第 {q} 行“{c}”读取最多的是：",
    ),
    (" · column {c} “{ch}”: {w}", " · 第 {c} 列“{ch}”：{w}"),
    (
        "Attention of {what} from position {q} “{c}” to every earlier position",
        "{what}从位置 {q}“{c}”到此前每个位置的注意力",
    ),
    ("position", "位置"),
    ("character", "字符"),
    ("weight", "权重"),
    ("Attention", "注意力"),
    (
        "Click a character: each head's row shades the characters that position attends to (darker = more). Answer characters are underlined; the box marks the example character the chosen heads attend to most.",
        "点击一个字符：每个头那一行会按该位置关注的程度为字符着色（越深越多）。答案字符带下划线；方框标出所选头最关注的例子字符。",
    ),
    ("Layer", "层"),
    (
        "The layer whose heads are shown here and in the heatmap",
        "在这里和热图中显示其注意力头的层",
    ),
    ("layer {l}", "第 {l} 层"),
    ("Head", "头"),
    (
        "One head, or all heads of the layer together (their mean in the heatmap)",
        "一个头，或该层的全部头（热图中取平均）",
    ),
    ("all heads", "全部头"),
    ("head {h}", "第 {h} 个头"),
    ("query: position {q}, “{c}”", "查询：位置 {q}，“{c}”"),
    (
        " ({n} leading characters did not fit the window)",
        "（开头 {n} 个字符超出了窗口）",
    ),
    (
        "the window; click a character to see where the heads look from it",
        "窗口；点击一个字符，查看各个头从它出发关注哪里",
    ),
    ("position {k}: attention {w}", "位置 {k}：注意力 {w}"),
    ("Per head, from position {q}", "各个头，从位置 {q} 出发"),
    ("head", "头"),
    ("looks most at", "最关注"),
    ("position {k} “{c}”", "位置 {k}“{c}”"),
    (
        "Answer characters → the example character they attend to most ({n} links)",
        "答案字符 → 它们最关注的例子字符（{n} 条连线）",
    ),
    ("Prompt", "提示词"),
    ("Query", "查询"),
    ("Example {n} input", "例子 {n} 的输入"),
    ("Example {n} output", "例子 {n} 的输出"),
    ("Expected", "期望答案"),
    (
        "{name}: {n} of {max} characters",
        "{name}：{n} / {max} 个字符",
    ),
    (
        "An example input: what the rule is applied to",
        "例子的输入：规则作用的对象",
    ),
    (
        "The example output: the rule applied to the input",
        "例子的输出：对输入应用规则后的结果",
    ),
    ("Move example {n} up", "把例子 {n} 上移"),
    ("Move up", "上移"),
    ("Move example {n} down", "把例子 {n} 下移"),
    ("Move down", "下移"),
    ("Duplicate example {n}", "复制例子 {n}"),
    ("Duplicate", "复制"),
    ("Remove example {n}", "删除例子 {n}"),
    ("Remove", "删除"),
    ("{n} tokens (with <bos>)", "{n} 个词元（含 <bos>）"),
    (
        "{n} of {b} tokens (with <bos>)",
        "{n} / {b} 个词元（含 <bos>）",
    ),
    (
        "Too long for the model's window: the first {n} characters will be left out.",
        "超出了模型的窗口：开头的 {n} 个字符会被舍去。",
    ),
    (
        "Characters outside the model's alphabet (printable ASCII and newline; Chinese characters too): {n}. The model reads each as <unk>.",
        "不在模型字母表中的字符（字母表只有可打印 ASCII 和换行，汉字也不在其中）：{n} 个。模型把每个都读作 <unk>。",
    ),
    ("1 · Examples", "1 · 例子"),
    (
        "The model only ever sees one text: your examples written out with the template, then the query. It has to guess the rule from the examples and continue the pattern.",
        "模型看到的只有一段文字：按模板写出的你的例子，然后是查询。它必须从例子中猜出规则，并把模式接着写下去。",
    ),
    ("Prompt editor", "提示词编辑器"),
    (
        "Edit the prompt as examples, a query and a template",
        "以例子、查询和模板的形式编辑提示词",
    ),
    ("Builder", "构建器"),
    (
        "Edit the whole prompt as plain text",
        "以纯文本编辑整段提示词",
    ),
    ("Raw prompt", "原始提示词"),
    ("Preset", "预设"),
    (
        "A task to start from, with fresh examples",
        "从一个任务开始，并生成新的例子",
    ),
    ("Your own examples", "你自己的例子"),
    (
        "The model learns it from your examples",
        "模型从你的例子中学会它",
    ),
    (
        "The model recognises it from training",
        "模型从训练中认出它",
    ),
    (
        "Induction: repeating what the prompt holds",
        "归纳：重复提示中已有的内容",
    ),
    (
        "The answer against the number of examples",
        "答案随例子数量的变化",
    ),
    (
        "The ICL curve in full, to measure again or compare: below",
        "完整的 ICL 曲线（可重新测量或比较）：见下文",
    ),
    ("A rule the model never saw", "模型从未见过的规则"),
    ("k", "k"),
    (
        "How many examples the preset writes (0 to 16)",
        "预设写出的例子数（0 到 16）",
    ),
    (
        "Draw new examples and a new query of the same task",
        "为同一任务抽取新的例子和新的查询",
    ),
    ("New examples", "新例子"),
    (
        "Add more examples of the same task",
        "为同一任务添加更多例子",
    ),
    ("More examples", "更多例子"),
    ("Show the rule", "显示规则"),
    ("Examples", "例子"),
    ("Add an empty example to fill in", "添加一个空例子来填写"),
    ("+ Add example", "+ 添加例子"),
    (
        "Put the examples in a new order: does the order matter?",
        "把例子换个顺序：顺序重要吗？",
    ),
    ("Shuffle order", "打乱顺序"),
    (
        "Outputs permuted across inputs: the format stays, the mapping is gone",
        "在输入之间打乱输出：格式保留，映射消失",
    ),
    ("Shuffle labels", "打乱标签"),
    (
        "Rewrite every output with a different rule",
        "用另一条规则改写每个输出",
    ),
    ("Flip rule", "翻转规则"),
    (
        "The input the model must answer, after the examples",
        "模型在例子之后需要回答的输入",
    ),
    (
        "Optional: compared with the completion",
        "可选：与补全结果比较",
    ),
    (
        "The answer you expect: the completion is checked against it and its probability measured",
        "你期望的答案：用它检查补全结果，并测量它的概率",
    ),
    ("Template", "模板"),
    (
        "How each example is written out. \\n is a newline. The learner was trained on many formats (marker words, one line per pair, no markers, quotes); the other models only on “in: ”, “out: ” and a newline.",
        "每个例子如何写出。\\n 表示换行。学习器训练时见过多种格式（标记词、每对一行、无标记、引号）；其他模型只见过“in: ”“out: ”和换行。",
    ),
    ("Format", "格式"),
    (
        "Write the examples in one of the formats the learner was trained on",
        "用学习器训练时见过的一种格式写出例子",
    ),
    ("(your own)", "（你自己的）"),
    ("After the input", "输入之后"),
    (
        "Written after each input, before the output prefix (\\n is a newline)",
        "写在每个输入之后、输出前缀之前（\\n 表示换行）",
    ),
    (
        "Written after each output (\\n is a newline)",
        "写在每个输出之后（\\n 表示换行）",
    ),
    ("Input prefix", "输入前缀"),
    (
        "Written before each input (\\n is a newline)",
        "写在每个输入之前（\\n 表示换行）",
    ),
    ("Output prefix", "输出前缀"),
    (
        "Written before each output (\\n is a newline)",
        "写在每个输出之前（\\n 表示换行）",
    ),
    ("Separator", "分隔符"),
    (
        "Written after each example (\\n is a newline)",
        "写在每个例子之后（\\n 表示换行）",
    ),
    (
        "The whole prompt the model reads, exactly",
        "模型读到的完整提示词，一字不差",
    ),
    ("Expected completion", "期望的补全"),
    (" (optional)", "（可选）"),
    (
        "Near the page's limit: {fields}.",
        "接近页面上限：{fields}。",
    ),
    ("What the model reads", "模型读到的内容"),
    ("series", "系列"),
    ("value", "值"),
    ("Compare", "比较"),
    (
        "Change one thing and see the completions side by side. Each column also scores a batch of held-out queries (fresh words of the same preset, or your examples left out one at a time).",
        "只改变一处，并排查看补全结果。每一列还会在一批留出查询上评分（同一预设的新词，或轮流留出的你自己的例子）。",
    ),
    ("Vary", "改变"),
    (
        "What changes from one column to the next",
        "列与列之间改变的是什么",
    ),
    (
        "Run every column and score each on held-out queries",
        "运行每一列，并在留出查询上为每列评分",
    ),
    ("completion", "补全"),
    ("exact", "完全匹配"),
    ("log p (expected)", "log p（期望答案）"),
    ("batch: exact · mean log p", "批量：完全匹配 · 平均 log p"),
    (
        "“{c}”: p = {p}% · log p = {lp}. The five characters the model considered:",
        "“{c}”：p = {p}% · log p = {lp}。模型考虑过的五个字符：",
    ),
    (
        "Top 5 next characters and their probabilities",
        "概率最高的 5 个下一字符及其概率",
    ),
    ("{c} with probability {p}%", "{c}，概率 {p}%"),
    (
        " · log p(expected) = {lp} nats (p = {p}%)",
        " · log p（期望答案）= {lp} 奈特（p = {p}%）",
    ),
    (
        "✓ Exact match with the expected answer",
        "✓ 与期望答案完全一致",
    ),
    ("✗ Expected “{e}”", "✗ 期望的是“{e}”"),
    ("3 · Completion", "3 · 补全"),
    (
        "Each character the model wrote, shaded by how sure it was (darker = more probable). Hover or focus a character to see the five it considered.",
        "模型写出的每个字符，颜色深浅表示它有多确定（越深概率越高）。悬停或聚焦一个字符，可以看到它考虑过的五个字符。",
    ),
    (
        "Press Run (or Ctrl+Enter) to complete the prompt.",
        "按“运行”（或 Ctrl+Enter）补全提示词。",
    ),
    ("{n} tokens, ended by {why}", "{n} 个词元，结束原因：{why}"),
    (
        "Save the completion with each character's probability and the alternatives the model considered, as JSON",
        "把补全结果连同每个字符的概率和模型考虑过的候选一起保存为 JSON",
    ),
    ("Save as JSON", "保存为 JSON"),
    (
        "Run the model to see how many bits each character of the prompt costs.",
        "运行模型，看看提示词的每个字符要花多少比特。",
    ),
    ("Model: {bpc} bits/char", "模型：{bpc} 比特/字符"),
    (
        " ({total} bits for {n} characters) · deflate: {gzip} bits/char",
        "（{n} 个字符共 {total} 比特）· deflate：{gzip} 比特/字符",
    ),
    (
        " · first {n} characters outside the window, not scored",
        " · 开头 {n} 个字符在窗口之外，未计分",
    ),
    (
        "Surprisal of each prompt character",
        "提示词每个字符的意外度",
    ),
    ("{c}: {b} bits", "{c}：{b} 比特"),
    (
        "Per-character surprisal in bits: {list}",
        "每个字符的意外度（比特）：{list}",
    ),
    ("4 · Prediction is compression", "4 · 预测即压缩"),
    (
        "A model that predicts well can compress well: a character costs −log₂ p bits. Red characters surprised the model; once it has learned the rule from your examples, later answers cost almost nothing, which gzip cannot do.",
        "预测得好的模型也压缩得好：一个字符要花 −log₂ p 比特。红色的字符让模型感到意外；一旦它从你的例子中学会了规则，后面的答案几乎不花比特，而 gzip 做不到这一点。",
    ),
    ("Save this chart", "保存这张图"),
    ("Induction heads", "归纳头"),
    (
        "Scores appear once the model is loaded.",
        "模型加载后会显示得分。",
    ),
    (
        "An induction head finds the earlier occurrence of the current character and copies what came next. Scores: induction (on a repeated random string), prefix matching and previous token (where the head looks), copying (whether its output raises the logit of what it attends to). Each matrix is one score, a row per layer and a column per head, coloured from 0 (dark) to 1 (light). Click a cell to switch its head off: every panel recomputes.",
        "归纳头会找到当前字符此前出现的位置，并复制它后面的字符。得分：归纳（在重复的随机字符串上）、前缀匹配和前一词元（这个头看向哪里）、复制（它的输出是否提高了它所关注字符的 logit）。每个矩阵是一种得分，每行一层、每列一个头，颜色从 0（深）到 1（浅）。点击一个格子可以关掉它的头：每个面板都会重新计算。",
    ),
    ("Random strings' seed", "随机字符串的种子"),
    (
        "Seed of the random strings the head scores are measured on",
        "测量头得分所用随机字符串的种子",
    ),
    ("top induction score {v}", "最高归纳得分 {v}"),
    (
        "{score}: heads by layer; pressed = switched off",
        "{score}：按层排列的头；按下 = 已关闭",
    ),
    (
        "layer {l}, head {h}, {score} {v}",
        "第 {l} 层，第 {h} 个头，{score} {v}",
    ),
    (
        "{head} {score} {v}: click to switch off",
        "{head} {score} {v}：点击关闭",
    ),
    (
        "{head} {score} {v}: switched off, click to switch on",
        "{head} {score} {v}：已关闭，点击打开",
    ),
    ("hatched: switched off", "斜纹：已关闭"),
    (
        "Head scores by layer and head (colour: 0 to 1)",
        "按层和头排列的头得分（颜色：0 到 1）",
    ),
    ("Induction", "归纳"),
    ("Prefix matching", "前缀匹配"),
    ("Previous token", "前一词元"),
    ("Duplicate token", "重复词元"),
    ("Copying", "复制"),
    ("Prefix matching on the prompt", "提示词上的前缀匹配"),
    ("Previous token on the prompt", "提示词上的前一词元"),
    (
        "Loss on a repeated random string: first copy {a} nats per character, second copy {b} ({pct} % of the first).",
        "重复随机字符串上的损失：第一遍每字符 {a} 奈特，第二遍 {b}（为第一遍的 {pct} %）。",
    ),
    (
        "Loss of each character of a random string followed by its repeat: the second half drops where an induction head copies",
        "随机字符串及其重复中每个字符的损失：在归纳头进行复制的后半段，损失下降",
    ),
    ("position in the repeated string", "在重复字符串中的位置"),
    ("loss (nats)", "损失（奈特）"),
    ("loss per character of “{s}…”", "“{s}…”的每字符损失"),
    ("{series}: exact match (%)", "{series}：完全匹配（%）"),
    (
        "{series}: mean log p of the answer (nats)",
        "{series}：答案的平均 log p（奈特）",
    ),
    ("ICL curve", "ICL 曲线"),
    (
        "How the answer improves with the number of examples (k), on ",
        "答案如何随例子数量（k）变好，测量对象：",
    ),
    (
        ". Exact match can jump from 0 to 100 % while the log-probability of the right answer rises smoothly: a whole word is right only once every letter is, so a sharp \"emergence\" in the first can be a gradual change measured coarsely (Schaeffer et al. 2023).",
        "。完全匹配可以从 0 跳到 100 %，而正确答案的对数概率却平滑上升：只有每个字母都对，整个词才算对，所以前者中陡峭的“涌现”可能只是被粗糙地测量的渐变（Schaeffer 等，2023）。",
    ),
    (
        "Score held-out queries with 0 to 8 examples in the prompt and draw the curve",
        "在提示词中放 0 到 8 个例子，为留出查询评分并画出曲线",
    ),
    ("Measure k = 0…8", "测量 k = 0…8"),
    ("Remove every curve from the chart", "从图中移除所有曲线"),
    ("Clear", "清除"),
    (
        "Measure again after switching model, checkpoint or heads to overlay curves.",
        "切换模型、检查点或头之后再测量一次，可以叠加曲线。",
    ),
    (
        "Exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of examples",
        "完全匹配（左轴，实线）和正确答案的平均对数概率（右轴，虚线）随例子数量的变化",
    ),
    ("examples in the prompt (k)", "提示词中的例子数（k）"),
    ("exact match (%)", "完全匹配（%）"),
    ("mean log p (nats)", "平均 log p（奈特）"),
    ("Open the shared link?", "打开分享的链接吗？"),
    (
        "The link holds other examples ({n} examples, query “{q}”) than the work on screen. Which do you want to keep on screen?",
        "链接里的例子（{n} 个例子，查询“{q}”）与屏幕上的内容不同。你想在屏幕上保留哪一个？",
    ),
    (
        "Keep your draft; the link is not opened",
        "保留你的草稿；不打开链接",
    ),
    ("Keep mine", "保留我的"),
    (
        "Open the link; your draft goes to Recover earlier work",
        "打开链接；你的草稿会放进“恢复之前的内容”",
    ),
    (
        "Open the link (mine is kept aside)",
        "打开链接（我的内容另行保存）",
    ),
    ("Save {name} ({kb} kB)", "保存 {name}（{kb} kB）"),
    (
        "This browser could not make the file.",
        "这个浏览器无法生成该文件。",
    ),
    ("training loss", "训练损失"),
    (
        "loss on the first copy of a repeated string",
        "重复字符串第一遍上的损失",
    ),
    ("loss on its second copy", "第二遍上的损失"),
    ("top induction score", "最高归纳得分"),
    ("top previous-token score", "最高前一词元得分"),
    ("Starting…", "正在开始…"),
    ("Not trained yet.", "还没有训练。"),
    ("Head scores at step {step}", "第 {step} 步的头得分"),
    ("induction", "归纳"),
    ("prefix matching", "前缀匹配"),
    ("previous token", "前一词元"),
    ("Train a model in this tab", "在这个标签页里训练模型"),
    (
        "A small attention-only model trains here, in your browser, on repeated random strings and few-shot examples. Watch the loss sit on a plateau, then drop as a previous-token head and an induction head appear together: the phase change. The 1-layer model is the control: with no earlier layer to find the previous token, it cannot build an induction head.",
        "一个只有注意力层的小模型就在这里、在你的浏览器中训练，数据是重复的随机字符串和少样本例子。看损失先停在平台上，然后随着前一词元头和归纳头一起出现而下降：这就是相变。1 层模型是对照组：它没有更早的层来找到前一个词元，所以建不起归纳头。",
    ),
    ("Model", "模型"),
    (
        "Two layers can form an induction head; one layer is the control that cannot",
        "两层模型可以形成归纳头；一层模型是不能形成的对照组",
    ),
    ("2 layers (forms an induction head)", "2 层（会形成归纳头）"),
    ("1 layer (the control)", "1 层（对照组）"),
    ("Seed", "种子"),
    (
        "The seed of the weights and the data: the same seed trains the same run",
        "权重和数据的种子：同一个种子训练出同样的过程",
    ),
    ("Learning rate", "学习率"),
    (
        "The learning rate of AdamW at the top of its schedule",
        "AdamW 在学习率调度最高点的学习率",
    ),
    ("Repeated strings", "重复字符串"),
    (
        "The share of repeated random strings in the data; the rest are few-shot examples",
        "数据中重复随机字符串的比例；其余是少样本例子",
    ),
    (
        "{pct} % repeated random strings, the rest few-shot examples",
        "{pct} % 为重复随机字符串，其余为少样本例子",
    ),
    ("{pct} % repeated strings", "{pct} % 为重复字符串"),
    ("Pause after the current step", "在当前这一步之后暂停"),
    ("Pause", "暂停"),
    (
        "Train in this tab; Pause stops within a step",
        "在这个标签页里训练；暂停会在一步之内停下",
    ),
    ("Resume", "继续"),
    ("Train", "训练"),
    (
        "Save the live model as a weight file of the project",
        "把实时模型保存为本项目的权重文件",
    ),
    ("Download weights", "下载权重"),
    (
        "Throw the run away and start again from step 0",
        "丢弃这次训练，从第 0 步重新开始",
    ),
    ("Reset", "重置"),
    (
        "Live training: losses (left axis) and top induction and previous-token scores (right axis) against step",
        "实时训练：损失（左轴）以及最高归纳得分和前一词元得分（右轴）随步数的变化",
    ),
    ("training step", "训练步数"),
    ("nats per character", "每字符奈特"),
    ("score", "得分"),
    (
        "Attention of head {head} on a repeated random string of {n} positions.",
        "头 {head} 在 {n} 个位置的重复随机字符串上的注意力。",
    ),
    (
        "Where {head}, the top induction head now, looks on a repeated random string: each row is a position reading, each column a position it attends to (brighter: more). An induction head draws a stripe in the lower half, just right of the diagonal's copy: each character of the second copy looks at the character after its first occurrence.",
        "当前最强的归纳头 {head} 在重复随机字符串上看向哪里：每一行是正在读取的位置，每一列是它关注的位置（越亮越多）。归纳头会在下半部分、紧挨对角线副本的右侧画出一条斜纹：第二遍中的每个字符都看向它第一次出现之后的那个字符。",
    ),
    (
        "Training: step {step} · {s} s of training · {tps} tokens/s · loss {loss} · top induction {ind}",
        "训练中：第 {step} 步 · 训练 {s} 秒 · {tps} 词元/秒 · 损失 {loss} · 最高归纳 {ind}",
    ),
    (
        "Paused at step {step} · {s} s of training · {tps} tokens/s · loss {loss} · top induction {ind}",
        "暂停于第 {step} 步 · 训练 {s} 秒 · {tps} 词元/秒 · 损失 {loss} · 最高归纳 {ind}",
    ),
    ("Hide these messages", "隐藏这些消息"),
    ("Dismiss", "关闭"),
    (
        "Downloading the model: {a} of {b}",
        "正在下载模型：{a} / {b}",
    ),
    ("Loading the model list…", "正在加载模型列表…"),
    (
        "Model: {name} · {params} parameters · window {n} characters",
        "模型：{name} · {params} 个参数 · 窗口 {n} 个字符",
    ),
    (
        " · loaded from this browser's cache",
        " · 从本浏览器的缓存加载",
    ),
    (
        "The model could not be loaded: {why} ",
        "无法加载模型：{why} ",
    ),
    ("Try loading the model again", "再次尝试加载模型"),
    ("Retry", "重试"),
    ("{n} examples, query “{q}”", "{n} 个例子，查询“{q}”"),
    (
        "Bring this earlier work back; what is on screen is set aside in turn",
        "恢复这份之前的内容；屏幕上的内容会转而被另存",
    ),
    ("Restore", "恢复"),
    (
        "Show the saved text (this page cannot open it)",
        "显示保存的文本（本页面无法打开它）",
    ),
    ("The saved text, to copy by hand", "保存的文本，可手动复制"),
    ("The saved text", "保存的文本"),
    ("Recover earlier work ({n})", "恢复之前的内容（{n}）"),
    ("2 · Run", "2 · 运行"),
    (
        "The model reads the prompt once, then writes one character at a time, each time picking from its predicted probabilities.",
        "模型先把提示词读一遍，然后一次写一个字符，每次都按它预测的概率挑选。",
    ),
    ("Ctrl+Enter", "Ctrl+Enter"),
    ("Run", "运行"),
    ("Stop writing now", "立即停止书写"),
    ("Stop", "停止"),
    (
        "Copy a link that opens exactly this: examples, model, settings and views",
        "复制一个能原样打开当前状态的链接：例子、模型、设置和视图",
    ),
    ("Copy link", "复制链接"),
    (
        "Save the state and every result on the page (completion, curves, comparison, head scores, live run, tune) as one JSON file",
        "把当前状态和页面上的所有结果（补全、曲线、比较、头得分、实时训练、微调）保存为一个 JSON 文件",
    ),
    ("Export all", "全部导出"),
    ("Every run uses {label}. ", "每次运行都使用 {label}。"),
    (
        "Go back to the final weights with every head on",
        "回到打开所有头的最终权重",
    ),
    ("Final weights, all heads", "最终权重，全部头"),
    (
        "Link to exactly this (copied to the clipboard where the browser allows):",
        "原样指向当前状态的链接（在浏览器允许时已复制到剪贴板）：",
    ),
    ("The link to exactly this state", "原样指向当前状态的链接"),
    ("{name} ({n} parameters)", "{name}（{n} 个参数）"),
    ("{v} nats", "{v} 奈特"),
    ("Settings", "设置"),
    (
        "Temperature 0 always takes the most likely character (greedy). Higher values sample; the seed makes a sample repeatable.",
        "温度为 0 时总是选最可能的字符（贪心）。更高的温度会采样；种子让采样可以重现。",
    ),
    ("The model that runs every panel", "运行所有面板的模型"),
    ("{name} · {params} parameters", "{name} · {params} 个参数"),
    ("Temperature", "温度"),
    (
        "0 always takes the most likely character; higher values sample more freely",
        "0 总是选最可能的字符；数值越高，采样越自由",
    ),
    ("Top-k", "Top-k"),
    (" (0 = all)", "（0 = 全部）"),
    (
        "Sample only among the k most likely characters (0: all)",
        "只在最可能的 k 个字符中采样（0：全部）",
    ),
    ("Top-p", "Top-p"),
    (
        "Sample only among the most likely characters that together reach this probability",
        "只在累计概率达到该值的最可能字符中采样",
    ),
    ("Max new tokens", "最多新词元数"),
    (
        "The most characters the model writes",
        "模型最多写出的字符数",
    ),
    (
        "The seed of sampling: the same seed gives the same sample",
        "采样的种子：同一个种子给出同样的采样",
    ),
    ("Stop at newline", "遇到换行就停止"),
    (
        "Stop at the end of the line, where the answer ends",
        "在行尾、也就是答案结束处停止",
    ),
    ("final weights", "最终权重"),
    (
        "training loss (nats per character)",
        "训练损失（每字符奈特）",
    ),
    (
        "ICL score (nats, late − early tokens)",
        "ICL 得分（奈特，后段减前段词元）",
    ),
    ("Training checkpoints", "训练检查点"),
    (
        "Scrub through training: every panel runs on the chosen checkpoint. The phase change is where the loss bends and the top induction score jumps together.",
        "在训练过程中来回拖动：每个面板都在选中的检查点上运行。相变就是损失曲线拐弯、最高归纳得分同时跃升的地方。",
    ),
    ("Checkpoint: {which}", "检查点：{which}"),
    (
        "Pick a training checkpoint: every panel runs on it",
        "选择一个训练检查点：每个面板都在它上面运行",
    ),
    (
        "At step {step}: top induction {logged} (recorded in training), {live} (measured now); training loss {loss}.",
        "第 {step} 步：最高归纳 {logged}（训练时记录），{live}（现在测得）；训练损失 {loss}。",
    ),
    (
        "Top induction measured now: {live}.",
        "现在测得的最高归纳：{live}。",
    ),
    ("Measuring…", "正在测量…"),
    (
        "Training loss and ICL score (left axis) and top induction score (right axis) against training step, log scale",
        "训练损失和 ICL 得分（左轴）以及最高归纳得分（右轴）随训练步数的变化，对数刻度",
    ),
    ("training step (log scale)", "训练步数（对数刻度）"),
    ("nats", "奈特"),
    ("induction score", "归纳得分"),
    ("stopped", "已停止"),
    ("stop sequence {s}", "停止序列 {s}"),
    ("max tokens", "达到最多词元数"),
    ("Error: {e}", "错误：{e}"),
    ("Loading the model… {pct}%", "正在加载模型… {pct}%"),
    ("Loading the model…", "正在加载模型…"),
    ("The model could not be loaded.", "无法加载模型。"),
    ("Generating…", "正在生成…"),
    ("Done.", "完成。"),
    ("Ready.", "就绪。"),
    (
        "The model worker stopped ({why}). A new one was started and the model is loading again: run again once it is ready.",
        "模型工作线程停止了（{why}）。已经启动了新的线程，模型正在重新加载：准备好后请再运行一次。",
    ),
    (
        "This page has no model with the name the link or draft gave; the model {used} is used instead.",
        "本页面没有链接或草稿中给出的那个模型；改用模型 {used}。",
    ),
    (
        "This link could not be opened: {why}. Your current work is unchanged.",
        "无法打开这个链接：{why}。你当前的内容没有改变。",
    ),
    ("Copy", "复制"),
    ("Reverse", "反转"),
    ("Uppercase", "大写"),
    ("First letter", "首字母"),
    ("Last letter", "末字母"),
    ("Sort letters", "字母排序"),
    ("Repeat twice", "重复两次"),
    ("Drop vowels", "删除元音"),
    ("Length", "长度"),
    ("Caesar shift", "凯撒移位"),
    ("Random cipher", "随机密码"),
    ("Arbitrary labels", "任意标签"),
    ("Key → value", "键 → 值"),
    ("Add two numbers", "两数相加"),
    (
        "Sums of two to four digits, a rule fixed in training: does this model add, or only guess digits?",
        "两到四位数的加法，一条训练中固定的规则：这个模型是在做加法，还是只在猜数字？",
    ),
    (
        "The shift (1–25) is new in every episode: the examples must say which.",
        "每一轮的移位量（1–25）都是新的：得由例子来说明是哪一个。",
    ),
    (
        "A rule the model saw in training: the examples only have to say which rule is meant.",
        "模型在训练中见过的规则：例子只需要指明是哪一条。",
    ),
    (
        "A rule drawn at random for this episode: only your examples can teach it (0-shot is chance).",
        "为这一轮随机抽出的规则：只有你的例子能教会它（0 个例子时只能靠猜）。",
    ),
    ("number of examples", "例子数量"),
    ("model", "模型"),
    ("training checkpoint", "训练检查点"),
    ("temperature and seed", "温度和种子"),
    (
        "labels (correct, shuffled, flipped)",
        "标签（正确、打乱、翻转）",
    ),
    (
        "Save the chart as SVG: a vector drawing for papers and slides",
        "把图保存为 SVG：用于论文和幻灯片的矢量图",
    ),
    (
        "Save the chart as PNG: an image twice the size shown",
        "把图保存为 PNG：两倍于显示尺寸的图片",
    ),
    (
        "Save the chart's numbers as CSV: one row per point",
        "把图中的数据保存为 CSV：每个点一行",
    ),
    (
        "Save the chart's numbers as JSON: labels, axes and points",
        "把图中的数据保存为 JSON：标签、坐标轴和数据点",
    ),
    (
        "a saved draft this page could not read",
        "本页面无法读取的已保存草稿",
    ),
    (
        "a saved draft before it was cut to the page's limits",
        "按页面上限截短之前的已保存草稿",
    ),
    (
        "your work before a link or a recovery replaced it",
        "被链接或恢复操作替换之前的你的内容",
    ),
    (
        "A rule drawn from a space of string programs and held out of every model's training: only your examples can teach it. Guess it yourself first, then show it.",
        "从字符串程序空间中抽出、并在所有模型的训练中都被留出的规则：只有你的例子能教会它。先自己猜一猜，再显示答案。",
    ),
    (
        "The examples you give and the query the model must answer. They are written out with the template into one text, the prompt, which is all the model ever sees.",
        "你给出的例子，以及模型必须回答的查询。它们按模板写成一段文字，也就是提示词，这是模型看到的全部内容。",
    ),
    (
        "In-context learning: the model's weights never change here. Whatever rule it follows, it has to find in these few lines.",
        "上下文学习：在这里模型的权重从不改变。它遵循的任何规则，都只能从这几行里找到。",
    ),
    (
        "Brown et al. 2020, Language Models are Few-Shot Learners",
        "Brown 等，2020，《Language Models are Few-Shot Learners》",
    ),
    (
        "Run makes the model read the prompt and write one character at a time. The settings choose the model and how each character is picked from its probabilities.",
        "“运行”让模型读入提示词，然后一次写一个字符。设置决定用哪个模型，以及如何按概率挑选每个字符。",
    ),
    (
        "Greedy decoding shows what the model thinks most likely; sampling with a temperature shows how sure it is. Both start from the same predicted distribution.",
        "贪心解码显示模型认为最可能的结果；带温度的采样显示它有多确定。两者都从同一个预测分布出发。",
    ),
    (
        "Holtzman et al. 2019, The Curious Case of Neural Text Degeneration",
        "Holtzman 等，2019，《The Curious Case of Neural Text Degeneration》",
    ),
    (
        "Each character the model wrote, shaded by the probability it gave that character, with the five it considered. Below, whether it matched the answer you expected.",
        "模型写出的每个字符，按它给这个字符的概率着色，并列出它考虑过的五个字符。下方显示它是否与你期望的答案一致。",
    ),
    (
        "A right answer with low probability is a guess; a wrong one with high probability is a confident mistake. The probabilities say more than right or wrong.",
        "低概率的正确答案是蒙的；高概率的错误答案是自信的失误。概率比对错说明得更多。",
    ),
    (
        "How many bits each character of the prompt costs the model (−log₂ p), against what gzip needs for the same text.",
        "提示词的每个字符让模型花多少比特（−log₂ p），与 gzip 压缩同一段文字所需的比特相比。",
    ),
    (
        "Compression: predicting well and compressing well are the same thing. Once the model has learned the rule from the first examples, the later answers cost almost nothing.",
        "压缩：预测得好与压缩得好是同一回事。一旦模型从前面的例子中学会了规则，后面的答案几乎不花比特。",
    ),
    (
        "Delétang et al. 2023, Language Modeling Is Compression",
        "Delétang 等，2023，《Language Modeling Is Compression》",
    ),
    (
        "The ICL curve: for k = 0 to 8 examples in the prompt, the share of held-out queries answered exactly right (solid) and the mean log-probability of the right answer (dashed).",
        "ICL 曲线：提示词中有 k = 0 到 8 个例子时，留出查询被完全答对的比例（实线）以及正确答案的平均对数概率（虚线）。",
    ),
    (
        "Exact match can leap from 0 to 100 % while the log-probability rises smoothly: a sharp \"emergent\" jump can be a gradual change seen through a coarse measure, the mirage.",
        "完全匹配可以从 0 跃到 100 %，而对数概率却平滑上升：陡峭的“涌现”跳变，可能只是透过粗糙的度量看到的渐变，即“海市蜃楼”。",
    ),
    (
        "Schaeffer et al. 2023, Are Emergent Abilities of Large Language Models a Mirage?",
        "Schaeffer 等，2023，《Are Emergent Abilities of Large Language Models a Mirage?》",
    ),
    (
        "The same prompt with one thing changed per column (model, shots, labels, order, template), each with its completion and a score on a batch of held-out queries. By model, the zoo's models differ in kind: base recognises the 13 tasks it was trained on, the rule learner was trained on a space of string programs and learns a rule from the examples. Compare them on \"A rule the model never saw\". For one family across sizes, see the Scale view.",
        "同一段提示词，每一列只改变一处（模型、例子数、标签、顺序、模板），每列给出补全结果和在一批留出查询上的得分。按模型比较时，模型库里的模型种类各不相同：base 认得它训练过的 13 个任务，规则学习器在一个字符串程序空间上训练，能从例子中学会规则。用“模型从未见过的规则”来比较它们。要看同一家族在不同大小下的表现，请看“规模”视图。",
    ),
    (
        "Scaling and recognition against learning: a model that only recognises tasks it was trained on still answers with flipped labels as if they were right; one that learns from the prompt follows them.",
        "规模，以及识别与学习之别：只会识别训练过的任务的模型，遇到翻转的标签仍按原来的规则回答；能从提示词中学习的模型则会跟着翻转。",
    ),
    (
        "Min et al. 2022, Rethinking the Role of Demonstrations",
        "Min 等，2022，《Rethinking the Role of Demonstrations》",
    ),
    (
        "The model's training run: loss, ICL score and the top induction score at each saved checkpoint. The slider runs every panel on the checkpoint you pick.",
        "模型的训练过程：每个保存的检查点上的损失、ICL 得分和最高归纳得分。滑块让每个面板在你选中的检查点上运行。",
    ),
    (
        "The phase change: in-context learning appears suddenly during training, at the same step as the induction head, while the loss bends.",
        "相变：上下文学习在训练中突然出现，与归纳头出现在同一步，同时损失曲线拐弯。",
    ),
    (
        "Olsson et al. 2022, In-context Learning and Induction Heads",
        "Olsson 等，2022，《In-context Learning and Induction Heads》",
    ),
    (
        "A colour matrix per score (a row per layer, a column per head): induction, prefix matching, previous token, duplicate token and copying on random strings, two of them on the prompt, and the loss on a random string and its repeat. Click a cell to switch its head off.",
        "每种得分一个彩色矩阵（每行一层，每列一个头）：随机字符串上的归纳、前缀匹配、前一词元、重复词元和复制，其中两种也在提示词上测量，以及在随机字符串及其重复上的损失。点击一个格子可以关掉它的头。",
    ),
    (
        "Induction: a head that finds the earlier occurrence of the current character and copies what followed is the mechanism behind much in-context learning. Switching it off shows what depends on it.",
        "归纳：找到当前字符此前出现的位置并复制其后字符的头，是许多上下文学习背后的机制。关掉它，就能看出哪些能力依赖于它。",
    ),
    (
        "Where each head looks. The characters of the prompt shaded by the attention of one position, and the whole pattern as a heatmap: row = the position reading, column = the position read.",
        "每个头看向哪里。提示词的字符按某一位置的注意力着色，完整的模式则画成热图：行 = 正在读取的位置，列 = 被读取的位置。",
    ),
    (
        "Induction heads leave a visible trace: in the second copy of a pattern, each row lights up one step after the earlier occurrence of its character, a diagonal stripe offset from the main one.",
        "归纳头会留下可见的痕迹：在模式的第二遍里，每一行在它的字符此前出现处的后一格亮起，形成一条偏离主对角线的斜纹。",
    ),
    (
        "Elhage et al. 2021, A Mathematical Framework for Transformer Circuits",
        "Elhage 等，2021，《A Mathematical Framework for Transformer Circuits》",
    ),
    (
        "A small attention-only model training in this tab: its loss, its loss on the first and second copies of a repeated string, and its heads' scores, step by step.",
        "一个只有注意力层的小模型在这个标签页里训练：逐步显示它的损失、它在重复字符串第一遍和第二遍上的损失，以及各个头的得分。",
    ),
    (
        "The phase change, caused in front of you: the loss sits on a plateau, then drops as a previous-token head and an induction head form together. The 1-layer control cannot form one.",
        "亲眼引发的相变：损失先停在平台上，然后随着前一词元头和归纳头一同形成而下降。1 层的对照组形成不了归纳头。",
    ),
    (
        "Trained in this tab (1 layer, step {step})",
        "在本标签页训练（1 层，第 {step} 步）",
    ),
    (
        "Trained in this tab ({n} layers, step {step})",
        "在本标签页训练（{n} 层，第 {step} 步）",
    ),
    ("4-layer transformer", "4 层 Transformer"),
    ("2-layer attention-only", "2 层纯注意力"),
    ("1-layer attention-only", "1 层纯注意力"),
    ("5-layer rule learner", "5 层规则学习器"),
    (
        "5-layer rule learner, any format",
        "5 层规则学习器（任意格式）",
    ),
    (
        "6-layer rule learner, any format",
        "6 层规则学习器（任意格式）",
    ),
    ("Ladder rung 0 (1 layer)", "阶梯第 0 级（1 层）"),
    ("Ladder rung 1 (1 layer)", "阶梯第 1 级（1 层）"),
    ("Ladder rung 2 (2 layers)", "阶梯第 2 级（2 层）"),
    ("Ladder rung 3 (3 layers)", "阶梯第 3 级（3 层）"),
    ("Ladder rung 4 (4 layers)", "阶梯第 4 级（4 层）"),
    ("Ladder rung 5 (5 layers)", "阶梯第 5 级（5 层）"),
    ("Ladder rung 6 (6 layers)", "阶梯第 6 级（6 层）"),
    (
        "the model must run in a web worker",
        "模型必须在 Web Worker 中运行",
    ),
    (
        "could not download {url}: {why} (check your connection and retry)",
        "无法下载 {url}：{why}（请检查网络连接后重试）",
    ),
    (
        "could not download {url}: HTTP {status} {text}",
        "无法下载 {url}：HTTP {status} {text}",
    ),
    ("fetch returned no response", "请求没有返回响应"),
    ("the response is not text", "响应不是文本"),
    ("the download cannot be read", "无法读取下载的内容"),
    (
        "the download broke off: {why} (check your connection and retry)",
        "下载中断了：{why}（请检查网络连接后重试）",
    ),
    (
        "the server sent far more data than the model list says",
        "服务器发送的数据远多于模型列表所说的大小",
    ),
    ("the model list is broken: {why}", "模型列表已损坏：{why}"),
    (
        "this browser's storage is full, so the model is kept in memory for this visit only",
        "浏览器的存储空间已满，所以模型只在本次访问中保存在内存里",
    ),
    ("the model list is not loaded yet", "模型列表还没有加载"),
    ("the model list is empty", "模型列表是空的"),
    ("there is no model called {name}", "没有名为 {name} 的模型"),
    (
        "no model was tuned on your examples yet: press Tune first",
        "还没有在你的例子上微调过模型：请先按“微调”",
    ),
    (
        "only a model of the page can be tuned, not the live or a tuned one",
        "只能微调页面提供的模型，不能微调现场训练的或已微调的模型",
    ),
    (
        "tuning needs at least 2 examples (one is the query, the others its shots); there are {n}",
        "微调至少需要 2 个例子（一个作查询，其余作示例）；现在有 {n} 个",
    ),
    (
        "example {i} alone does not fit the model's window of {block} characters",
        "第 {i} 个例子单独就放不进模型 {block} 个字符的窗口",
    ),
    (
        "this model has no MLPs (attention only): choose other weights to move",
        "这个模型没有 MLP（只有注意力）：请选择其他要调整的权重",
    ),
    (
        "steps must be 1 to {max}, the batch at least 1 and the learning rate a number above 0",
        "步数须为 1 到 {max}，批大小至少为 1，学习率须为大于 0 的数",
    ),
    (
        "the training code is not loaded: press Train or Tune again",
        "训练代码还没有加载：请再按一次“训练”或“微调”",
    ),
    (
        "no model was trained in this tab yet",
        "这个标签页里还没有训练过模型",
    ),
    (
        "no model was trained in this tab yet: press Train first",
        "这个标签页里还没有训练过模型：请先按“训练”",
    ),
    (
        "this browser could not start a web worker",
        "这个浏览器无法启动 Web Worker",
    ),
    (
        "it sent a message the page cannot read",
        "它发来了页面无法读取的消息",
    ),
    ("an error it could not recover from", "一个无法恢复的错误"),
    (
        "the model worker keeps stopping ({why})",
        "模型工作线程不断停止（{why}）",
    ),
    (
        "the training curves are broken: {why}",
        "训练曲线已损坏：{why}",
    ),
    (
        "{name} has no checkpoint at step {step}",
        "{name} 没有第 {step} 步的检查点",
    ),
    ("{name} has no training curves", "{name} 没有训练曲线"),
    ("{name} at step {step}", "{name}（第 {step} 步）"),
    (
        "{name} could not be used: {why}. Retry; if it persists the server has a damaged copy.",
        "{name} 无法使用：{why}。请重试；如果问题依旧，说明服务器上的副本已损坏。",
    ),
    (
        "the file is corrupt: its checksum does not match its contents",
        "文件已损坏：校验和与内容不符",
    ),
    (
        "expected {a} bytes but got {b}: the download is incomplete or wrong",
        "应有 {a} 字节，实际收到 {b} 字节：下载不完整或有误",
    ),
    (
        "not a model file (it does not start with \"ICLM\")",
        "不是模型文件（它不以“ICLM”开头）",
    ),
    (
        "this is not an ICL Playground link",
        "这不是 ICL Playground 的链接",
    ),
    (
        "the link is damaged or incomplete (it was probably cut off when copied)",
        "链接已损坏或不完整（很可能在复制时被截断了）",
    ),
    (
        "Your saved draft was longer than the page's limits and was cut to fit",
        "你保存的草稿超出了页面上限，已截短以适应",
    ),
    (
        "In weights: exact match (left axis, solid) and log-probability of the right answers (right axis, dashed) against the tune's steps",
        "在权重中：完全匹配（左轴，实线）和正确答案的对数概率（右轴，虚线）随微调步数的变化",
    ),
    ("tuning step", "微调步数"),
    ("log p (nats)", "log p（奈特）"),
    (
        "Score each of your examples with 0 to 8 of the others in the prompt, on the weights the tune starts from",
        "在微调起点的权重上，给你的每个例子打分，提示中放入 0 到 8 个其他例子",
    ),
    ("Measure in context, k = 0…8", "测量上下文学习，k = 0…8"),
    (
        "In context: exact match (left axis, solid) and mean log-probability of the right answer (right axis, dashed) against the number of your examples in the prompt, shipped weights",
        "在上下文中：完全匹配（左轴，实线）和正确答案的平均对数概率（右轴，虚线）随提示中你的例子数量的变化，使用发布的权重",
    ),
    ("Starting the tune…", "正在开始微调…"),
    ("Not tuned yet.", "还没有微调。"),
    ("In context or in weights?", "在上下文中，还是在权重中？"),
    (
        "Your examples can teach the model two ways: read in the prompt (in context, the weights unchanged), or as a few steps of gradient descent on the weights (in weights, then no examples in the prompt). Tune trains a copy of the model on your examples, each in turn the query of some of the others, and compares the two ways on your query.",
        "你的例子可以用两种方式教模型：放在提示里读（在上下文中，权重不变），或者对权重做几步梯度下降（在权重中，之后提示里不再放例子）。“微调”在你的例子上训练模型的一个副本，每个例子轮流作为其他一些例子的查询，然后在你的查询上比较这两种方式。",
    ),
    (
        "A tune uses the examples of the builder, not the raw prompt.",
        "微调使用构建器中的例子，而不是原始提示。",
    ),
    (
        "Stop after the current step; the weights it reached stay",
        "在当前这一步之后停止；已达到的权重会保留",
    ),
    (
        "Tune a copy of the model on your examples with these settings",
        "用这些设置在你的例子上微调模型的一个副本",
    ),
    ("Tune", "微调"),
    (
        "Save the tuned model as a weight file of the project",
        "把微调后的模型保存为本项目的权重文件",
    ),
    (
        "Forget the tuned model: every panel goes back to the shipped weights",
        "丢弃微调后的模型：所有面板回到发布的权重",
    ),
    (
        "Tuning: step {step} of {n} · loss {loss}",
        "微调中：第 {step} 步，共 {n} 步 · 损失 {loss}",
    ),
    (
        "Stopped at step {step} of {n} · loss {loss}",
        "停在第 {step} 步（共 {n} 步）· 损失 {loss}",
    ),
    (
        "Tuned: {step} steps · loss {loss}",
        "已微调：{step} 步 · 损失 {loss}",
    ),
    ("Steps", "步数"),
    (
        "Optimiser steps of the tune: each trains on a few of your examples, each the query of some of the others",
        "微调的优化步数：每一步在你的几个例子上训练，每个例子作为其他一些例子的查询",
    ),
    (
        "AdamW's learning rate: how far each step moves the weights",
        "AdamW 的学习率：每一步把权重移动多远",
    ),
    ("Weights that move", "会改变的权重"),
    (
        "Which weights the tune changes; the others stay as shipped",
        "微调改变哪些权重；其余保持发布时的样子",
    ),
    ("all of them", "全部权重"),
    ("the last blocks", "最后几个块"),
    ("a low-rank adapter", "低秩适配器"),
    ("the MLPs only", "只有前馈层"),
    ("Blocks that move", "会改变的块数"),
    ("Rank of the adapter", "适配器的秩"),
    (
        "How many of the last blocks move (with the final norm and the unembedding)",
        "最后多少个块会改变（连同最终的归一化层和反嵌入层）",
    ),
    (
        "The adapter's rank: how many directions each weight matrix may move in",
        "适配器的秩：每个权重矩阵可以沿多少个方向改变",
    ),
    (
        "The seed of the episodes each step draws: the same seed tunes the same weights",
        "每一步抽取训练片段所用的种子：同一个种子微调出同样的权重",
    ),
    (
        "The tuned columns saw your examples during tuning (each was the query of some of the others), so their leave-one-out scores flatter them; your query was never trained on: it is the fair test.",
        "微调后的两列在微调时见过你的例子（每个例子都曾作为其他一些例子的查询），所以它们的留一法得分偏高；你的查询从未被训练过：它才是公平的检验。",
    ),
    (
        "In context or in weights? Your {k} examples in the prompt, in {steps} tuning steps, or both",
        "在上下文中，还是在权重中？你的 {k} 个例子放在提示里、用于 {steps} 步微调，或两者兼用",
    ),
    ("And: ", "另见："),
    ("; ", "；"),
    (
        "{model} in context, on your examples",
        "{model} 上下文学习，在你的例子上",
    ),
    (
        "Learn in context, or in weights",
        "在上下文中学习，还是在权重中学习",
    ),
    ("no examples (shipped weights)", "没有例子（发布的权重）"),
    (
        "in weights (tuned, no examples)",
        "在权重中（微调后，没有例子）",
    ),
    ("exact match", "完全匹配"),
    (
        "log p of the expected answer (nats)",
        "期望答案的 log p（奈特）",
    ),
    (
        "your examples, leave-one-out: exact match",
        "你的例子，留一法：完全匹配",
    ),
    (
        "your examples, leave-one-out: mean log p (nats)",
        "你的例子，留一法：平均 log p（奈特）",
    ),
    (
        "in context ({k} examples, shipped weights)",
        "在上下文中（{k} 个例子，发布的权重）",
    ),
    (
        "both (tuned + {k} examples)",
        "两者兼用（微调后 + {k} 个例子）",
    ),
    (
        "your query “{query}”: completion",
        "你的查询“{query}”：补全",
    ),
    ("{pct} % of {n}", "{n} 个中的 {pct} %"),
    (
        "{model}, tuned on your examples ({steps} steps)",
        "{model}，在你的例子上微调（{steps} 步）",
    ),
    (
        "{model} at step {c}, tuned on your examples ({steps} steps)",
        "{model}（第 {c} 步），在你的例子上微调（{steps} 步）",
    ),
    (
        "your examples in weights: exact match (%)",
        "你的例子，在权重中：完全匹配（%）",
    ),
    (
        "your examples, both: exact match (%)",
        "你的例子，两者兼用：完全匹配（%）",
    ),
    (
        "your examples in weights: mean log p (nats)",
        "你的例子，在权重中：平均 log p（奈特）",
    ),
    (
        "your examples, both: mean log p (nats)",
        "你的例子，两者兼用：平均 log p（奈特）",
    ),
    (
        "your query in weights: log p (nats)",
        "你的查询，在权重中：log p（奈特）",
    ),
    (
        "your query, both: log p (nats)",
        "你的查询，两者兼用：log p（奈特）",
    ),
    (
        "Your examples used two ways. No examples: the shipped weights answer your query alone. In context: they read your examples in the prompt first, as everywhere else on this page. In weights: a copy of the model takes a few gradient steps on your examples, each in turn the query of some of the others, and then answers with no examples in the prompt. Both: the tuned copy also reads the examples.",
        "你的例子的两种用法。没有例子：发布的权重只凭你的查询作答。在上下文中：它们先读提示里你的例子，和本页其他地方一样。在权重中：模型的一个副本在你的例子上做几步梯度下降，每个例子轮流作为其他一些例子的查询，然后在提示里没有例子的情况下作答。两者兼用：微调后的副本也读这些例子。",
    ),
    (
        "In-context learning has been explained as gradient descent run inside the forward pass; here real gradient descent runs beside it, on the same examples. Watch your query, which no step trained on: if in weights catches up with in context, the examples taught the rule both ways. The examples' own scores flatter the tuned columns, since the tune saw them.",
        "上下文学习曾被解释为在前向传播内部进行的梯度下降；这里真正的梯度下降就在它旁边，用的是同样的例子。请看你的查询，没有任何一步在它上面训练过：如果“在权重中”赶上了“在上下文中”，说明这些例子用两种方式都教会了这条规则。例子自己的得分会让微调后的列显得更好，因为微调见过它们。",
    ),
    (
        "Akyürek et al. 2024, The Surprising Effectiveness of Test-Time Training for Abstract Reasoning",
        "Akyürek 等，2024，《The Surprising Effectiveness of Test-Time Training for Abstract Reasoning》",
    ),
    (
        "Akyürek et al. 2023, What learning algorithm is in-context learning? Investigations with linear models",
        "Akyürek 等，2023，《What learning algorithm is in-context learning? Investigations with linear models》",
    ),
    (
        "von Oswald et al. 2023, Transformers learn in-context by gradient descent",
        "von Oswald 等，2023，《Transformers learn in-context by gradient descent》",
    ),
    (
        "Dai et al. 2023, Why Can GPT Learn In-Context? Language Models Secretly Perform Gradient Descent as Meta-Optimizers",
        "Dai 等，2023，《Why Can GPT Learn In-Context? Language Models Secretly Perform Gradient Descent as Meta-Optimizers》",
    ),
    ("Prediction is compression", "预测就是压缩"),
    (
        "A rule learned from your examples",
        "从你的例子中学到的规则",
    ),
    ("Recognising is not learning", "认出不等于学会"),
    ("The induction head", "归纳头"),
    ("Switch the head off", "关掉这个头"),
    ("A phase change in training", "训练中的相变"),
    ("Exact match or log-probability", "完全匹配还是对数概率"),
    ("Train one yourself", "亲手训练一个"),
    ("In context, or in weights", "在上下文中，还是在权重中"),
    (
        "The model gives every next character a probability, and a character it expected costs few bits (−log₂ p). In the strip, red characters surprised it: the first examples cost the most, the later answers almost nothing once it has the rule. Predicting well is compressing well, and next-character prediction is all its training asked for.",
        "模型给每个下一个字符一个概率，它预料到的字符只花很少的比特（−log₂ p）。在色条里，红色的字符出乎它的意料：最前面的例子花费最多，一旦它掌握了规则，后面的答案几乎不花什么。预测得好就是压缩得好，而它的训练只要求预测下一个字符。",
    ),
    (
        "This rule, capitals on the vowels, was held out of the model's training: only the {k} examples can teach it. The curve beside the answer scores held-out queries of the same rule with 0 to 8 examples in the prompt: with none the model cannot know the rule, with a few it starts to get it right.",
        "这条规则（把元音写成大写）在模型训练时被留出：只有这 {k} 个例子能教会它。答案旁边的曲线给同一规则的留出查询打分，提示里放 0 到 8 个例子：一个都没有时模型无从知道规则，有几个之后它就开始答对。",
    ),
    (
        "Now the examples take each word's first letter, a rule the model met constantly in training. One example is enough to say which rule is meant, so its curve in the ICL curve panel is near the top from k = 1 on and stays there; the unseen rule's curve beside it stays lower and less steady, since its examples have to teach the rule, not point to it. Much of what large models do in context is this: recognising a task, not learning it.",
        "现在这些例子取每个词的首字母，这是模型在训练中反复见过的规则。一个例子就足以说明指的是哪条规则，所以它在 ICL 曲线面板里的曲线从 k = 1 起就接近顶端并一直保持；旁边没见过的规则的曲线则更低、也更不稳定，因为它的例子必须教会这条规则，而不是指向它。大模型在上下文中做的很多事就是这样：认出一个任务，而不是学会它。",
    ),
    (
        "Each square is one attention head, a row per layer. A bright square in the induction matrix is a head that looks from a repeated character to the one that followed it last time and copies it: an induction head, the circuit behind copying from the prompt. Focus or hover a square for its scores.",
        "每个方格是一个注意力头，每层一行。归纳矩阵里的亮格是这样一个头：它从一个重复出现的字符看向上次紧跟在它后面的字符，并把它复制过来：这就是归纳头，从提示中复制的背后电路。聚焦或悬停在方格上可看它的分数。",
    ),
    (
        "The brightest induction heads, {heads}, are now switched off, and every panel runs without them: the answer no longer copies the query. Look at the copy losses under the matrices: the second copy of a random string now costs nearly as much as the first. Click any square to switch heads off or on yourself.",
        "最亮的几个归纳头 {heads} 现在被关掉了，每个面板都在没有它们的情况下运行：答案不再照抄查询。看矩阵下方的复制损失：随机字符串的第二份副本现在几乎和第一份一样费力。点击任意方格，自己开关各个头。",
    ),
    (
        "This is attn2, two attention layers and no MLPs, at step {before} of its training, before it has an induction head. Drag the checkpoint slider to the end ({after}): within a few hundred steps the loss on repeated text falls steeply as the head forms. Every panel follows the slider.",
        "这是 attn2，两层注意力、没有 MLP，处在训练的第 {before} 步，那时它还没有归纳头。把检查点滑块拖到最后（{after}）：短短几百步之内，随着这个头的形成，重复文本上的损失急剧下降。每个面板都跟随滑块。",
    ),
    (
        "Back on the unseen rule. The ICL curve draws two measures of the same answers: exact match (solid) counts an answer only when every character is right, so it moves in jumps; the log-probability of the right answer (dashed) moves smoothly. Whether an ability seems to appear suddenly can depend on which of the two is plotted.",
        "回到没见过的规则。ICL 曲线用两种度量画同一批答案：完全匹配（实线）只在每个字符都对时才算答对，所以它跳着变；正确答案的对数概率（虚线）则平滑地变化。一种能力看起来是否突然出现，可能取决于画的是两者中的哪一个。",
    ),
    (
        "Press Train: a small model starts from random weights in this tab. Watch its loss and its top induction score: within a minute or two the same phase change happens in front of you. Pause, export or share it at any step.",
        "按“训练”：一个小模型在这个标签页里从随机权重开始训练。看它的损失和最高归纳分数：一两分钟之内，同样的相变就在你眼前发生。你可以在任何一步暂停、导出或分享它。",
    ),
    (
        "Press Tune: a copy of the model takes a few gradient steps on your examples, and the table sets its answers beside the model that reads them in context. The same examples teach the rule two ways; watch which one answers the query that no step trained on.",
        "按“微调”：模型的一个副本在你的例子上做几步梯度下降，表格把它的答案和在上下文中读这些例子的模型并排放在一起。同样的例子用两种方式教这条规则；看哪一种能答对没有任何一步训练过的查询。",
    ),
    (
        "Tour · step {n} of {total}",
        "导览 · 第 {n} 步，共 {total} 步",
    ),
    ("Tour steps", "导览步骤"),
    ("Step {n}: {title}", "第 {n} 步：{title}"),
    ("Back", "上一步"),
    ("Next", "下一步"),
    ("Finish the tour", "结束导览"),
    (
        "Leave the tour; the page stays as it is (Esc)",
        "离开导览；页面保持现状（Esc）",
    ),
    ("Leave", "离开"),
    ("Tour", "导览"),
    (
        "A guided walk through the ideas, one step at a time: each step sets up the page and says what to look at",
        "按步骤引导你走过这些概念：每一步都会设置好页面，并告诉你该看什么",
    ),
    ("k = {k}: {e} % exact", "k = {k}：完全匹配 {e} %"),
    ("best: {e} % at k = {k}", "最好：k = {k} 时 {e} %"),
    ("every rung's final weights", "每一级的最终权重"),
    ("The ladder on your prompt", "阶梯在你的提示上的表现"),
    (
        "Scale: one family of models across sizes",
        "规模：同一家族、不同大小的模型",
    ),
    (
        "The ladder is one model, one recipe and one data mix at several sizes. Run every rung on your prompt, then switch between exact match and per-character accuracy: does the ability jump with size, or grow smoothly?",
        "阶梯是同一种模型、同一套训练方法和同一份数据配比，只是大小不同。让每一级都回答你的提示，再在完全匹配和逐字符准确率之间切换：能力是随规模突然跃升，还是平稳增长？",
    ),
    ("This model list has no ladder.", "这个模型列表里没有阶梯。"),
    (
        "Download each rung when it is needed and run it on your examples and query",
        "需要时才下载每一级，并用你的例子和查询运行它",
    ),
    ("Run every rung again", "再次运行每一级"),
    (
        "Scale: run every rung on my prompt",
        "规模：让每一级都回答我的提示",
    ),
    ("What the curves measure", "曲线衡量的是什么"),
    ("Exact match", "完全匹配"),
    ("Per-character accuracy and log p", "逐字符准确率和 log p"),
    (
        "Score each answer all or nothing: right only when every character is",
        "每个答案全对或全错地计分：只有每个字符都对才算对",
    ),
    (
        "Score the share of right characters and the log-probability of the expected answer: partial progress shows",
        "按正确字符的比例和期望答案的对数概率计分：部分进步也看得见",
    ),
    ("Training progress", "训练进度"),
    (
        "Run every rung at the same place in its own training: each rung trained for its own number of steps",
        "让每一级都处在自己训练过程中的同一位置：每一级训练的步数各不相同",
    ),
    (
        "Your prompt across the ladder: your query and held-out queries of the same rule",
        "你的提示在阶梯上的表现：你的查询，以及同一规则的留出查询",
    ),
    ("parameters (log scale)", "参数量（对数刻度）"),
    ("Examples in the prompt", "提示中的例子数"),
    (
        "Final training loss against training compute (6 × parameters × tokens)",
        "最终训练损失与训练计算量（6 × 参数量 × 词元数）的关系",
    ),
    (
        "training compute (FLOPs, log scale)",
        "训练计算量（FLOPs，对数刻度）",
    ),
    ("loss (nats per character)", "损失（每字符奈特）"),
    (
        "Loading the ladder's measured table…",
        "正在加载阶梯的测量表……",
    ),
    (
        "checkpoint {i} of {n} of every rung",
        "每一级的第 {i} 个检查点（共 {n} 个）",
    ),
    (
        "The ladder's measured sets at k = {k} ({n} queries each)",
        "阶梯在各测试集上的测量结果，k = {k}（每组 {n} 个查询）",
    ),
    (
        "The rungs' answers are in the Scale view, with their curves against size.",
        "各级的回答在“规模”视图中，附有随大小变化的曲线。",
    ),
    (
        "These models differ in kind as well as size. For one family across sizes, open the Scale view.",
        "这些模型不仅大小不同，种类也不同。要看同一家族在不同大小下的表现，请打开“规模”视图。",
    ),
    (
        "the ladder's measured table is broken: {why}",
        "阶梯的测量表已损坏：{why}",
    ),
    ("rules never trained on", "从未训练过的规则"),
    ("the fixed tasks", "固定任务"),
    ("per-character accuracy", "逐字符准确率"),
    ("log p of the answer (nats)", "答案的 log p（奈特）"),
    ("your query", "你的查询"),
    ("held-out queries", "留出查询"),
    ("final training loss of each rung", "每一级的最终训练损失"),
    ("rung", "级"),
    ("parameters", "参数量"),
    (
        "held-out queries: exact · per-character · log p",
        "留出查询：完全匹配 · 逐字符 · log p",
    ),
    ("addition, {n}-digit numbers", "加法，{n} 位数"),
    ("{what}: exact match", "{what}：完全匹配"),
    ("{what}: per-character accuracy", "{what}：逐字符准确率"),
    ("{what}: log p", "{what}：log p"),
    (
        "fit: loss ≈ {a} · C^−{b} (R² {r2})",
        "拟合：损失 ≈ {a} · C^−{b}（R² {r2}）",
    ),
    ("{model} @ step {s}", "{model} @ 第 {s} 步"),
    ("model size (the ladder's rungs)", "模型大小（阶梯的各级）"),
    (
        "The ladder: one architecture, one recipe and one data mix (the rule space plus multi-digit addition) at several sizes spanning more than a hundredfold in parameters, each trained on 20 characters per parameter. Every rung answers your prompt; beside them, the ladder's own measured sets (sums by digit count, rules never trained on, the fixed tasks) and the final training loss against training compute with its fitted power law.",
        "阶梯：同一种架构、同一套训练方法和同一份数据配比（规则空间加上多位数加法），大小跨越一百多倍的参数量，每个参数训练 20 个字符。每一级都回答你的提示；旁边是阶梯自己的测量集（按位数分的加法、从未训练过的规则、固定任务），以及最终训练损失与训练计算量的关系和拟合出的幂律。",
    ),
    (
        "Emergence or mirage? Abilities that seem to appear suddenly with size (exact match leaping from 0 to 100 %) can be a smooth improvement seen through an all-or-nothing measure: switch to per-character accuracy and log-probability and the jump may turn into a ramp. The loss itself falls as a power law of compute.",
        "涌现还是海市蜃楼？那些似乎随规模突然出现的能力（完全匹配从 0 跃升到 100 %），可能只是透过“全对或全错”的指标看到的平稳进步：换成逐字符准确率和对数概率，跳跃可能就变成了斜坡。损失本身则随计算量按幂律下降。",
    ),
    (
        "Wei et al. 2022, Emergent Abilities of Large Language Models",
        "Wei 等 2022，《大型语言模型的涌现能力》",
    ),
    (
        "Kaplan et al. 2020, Scaling Laws for Neural Language Models",
        "Kaplan 等 2020，《神经语言模型的规模定律》",
    ),
    (
        "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models",
        "Hoffmann 等 2022，《训练计算最优的大型语言模型》",
    ),
];
