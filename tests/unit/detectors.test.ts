// The detectors' own development set, written from the seeds' catalogue of habits (not from the
// calibration dialogues): several wordings per family, in simplified and traditional Chinese,
// Cantonese and English, and near misses that must stay clean.
import { describe, expect, it } from "vitest";
import { detect } from "../../src/evaluation/detectors/index.ts";
import { compilePattern, PatternError } from "../../src/evaluation/detectors/pattern.ts";
import { PACKS } from "../../src/evaluation/detectors/packs.ts";
import { canonical } from "../../src/evaluation/detectors/text.ts";

const families = (text: string) => detect([{ seq: 1, text }]).map((h) => h.family);
const tabooFamilies = (text: string) =>
  detect([{ seq: 1, text }])
    .filter((h) => h.kind === "taboo")
    .map((h) => h.family);

const TABOO: Record<string, string[]> = {
  presuming: [
    "八成是你自己把密码告诉别人了",
    "您是不是把日期记错了？",
    "我们的柜员机从来不会少吐钱的",
    "別人都冇問題，點解淨係你有問題？",
    "怎麼偏偏就你的卡出事",
    "You probably clicked a link in some text message.",
    "There's no way our ATM gave you a torn note.",
    "How do I know you didn't spend it already?",
    "Everyone else manages to use the app fine.",
    "系统不会无缘无故冻结您的卡",
    "I bet you got a text and clicked it.",
    "您跟他真的是亲戚吗？",
    "您一定是听错了，我们经理不会这么说",
    "电表是不会出错的",
    "You've been clicking on dodgy links, haven't you?",
    "People aren't always who they say they are, you know.",
    "We see a lot of fraud with stories like yours.",
  ],
  rambling: [
    "你先让我讲完好不好",
    "别插嘴，我还没说完",
    "你先聽我講完",
    "Hear me out before you say anything.",
    "Let me finish, please, I'm talking.",
    "Stop interrupting me.",
  ],
  vague: [
    "大概下周能到吧",
    "可能是网络问题，也可能是别的",
    "可能在路上，可能在仓库，可能还没发",
    "这个说不好，可能会退也可能不退",
    "回去等通知就行",
    "應該冇問題吧",
    "It should be fine, I guess.",
    "We'll get back to you at some point.",
    "Hard to say, it depends.",
    "Maybe tomorrow, or maybe not.",
  ],
  "hiding-behind-rules": [
    "制度就是这么定的，谁来都一样",
    "上面要求的，我做不了主",
    "按照规定这个不能给你办",
    "這是總行的規定，冇得商量",
    "系統就係咁設定㗎，冇辦法",
    "Rules are rules, sir.",
    "My hands are tied, that's just how it works.",
    "The system won't let me do that.",
    "Policy doesn't allow it.",
  ],
  pressing: [
    "你必须先去复印身份证",
    "您应该提前预约的",
    "你得先排队取号",
    "你必須本人親自來",
    "You must bring the original document.",
    "You have to fill this out again.",
    "You should read the terms first.",
  ],
  blaming: [
    "这都是因为你自己密码设得太简单",
    "那还能怪谁呢",
    "谁叫你把卡借给别人",
    "係你自己冇睇清楚條款",
    "It's your own fault for sharing the code.",
    "You should have called us straight away.",
    "Why didn't you check the amount?",
    "You typed the account number wrong.",
    "你当时签的时候就应该问清楚",
    "这种事自己平时要注意",
    "是您家里漏水自己没发现",
    "那你办的时候怎么不说",
    "这个怪不了我们",
    "你早该带过来的",
    "If you'd let us know in advance, none of this would have happened.",
    "That's really on you, I'm afraid.",
    "Had you read the letter, you'd know.",
    "You only had to tell us you'd moved.",
  ],
  "pushing-back": [
    "这个你自己上网查一下",
    "你去找开户行问吧",
    "你自己打客服电话问",
    "請你自行聯絡商戶",
    "You'll have to sort it out yourself.",
    "Go ask customer service.",
    "That's for you to figure out with the merchant.",
    "Just look it up online.",
    "你得自己去网点办",
    "您回去以后自己在电脑上重置一下",
    "叫您家里孩子帮您弄吧",
    "表格您自己慢慢填",
    "您要去找物业问，不是我们这里",
    "你也可以自己打他们的电话问问",
    "You can reset it online, just follow the steps.",
    "这个您回去自己上网填一下",
    "你自己搵保險公司問吓",
    "您要自己联系快递公司",
    "You'll need to download the form and send it in yourself.",
    "You'd have to take that up with the airline.",
    "We don't do that here, try the post office.",
  ],
  "criticising-own-side": [
    "我们这破系统三天两头出问题",
    "后台那帮人一向拖拖拉拉，就是这样",
    "那个新来的柜员什么都不懂",
    "我哋部機成日壞㗎",
    "Our system is always crashing, honestly.",
    "Head office never answers their phones.",
    "The call centre staff are useless.",
    "This stupid machine again.",
    "排队机隔三差五就出毛病",
    "那帮人根本不怎么管",
    "The new guy keeps mixing these up.",
    "Our billing team are a shambles.",
  ],
  "contradicting-colleague": [
    "别听他的，他搞不清楚",
    "她说的不算，以我说的为准",
    "唔好聽佢講",
    "Don't listen to him, he's new.",
    "Ignore what my colleague told you.",
    "She doesn't know what she's talking about.",
    "他那是特殊情况，不能算",
  ],
  arguing: [
    "你这么说就不对了",
    "我们从来没有坑过客户",
    "话不能这样说吧",
    "你根本唔明",
    "That's simply not true.",
    "You're wrong about the fee.",
    "Go ahead and complain, then.",
    "With all due respect, you don't understand.",
    "我讲的都是事实，信不信由你",
    "你签了字就不要再反悔",
    "你在这里吵也没用",
    "這個冇乜好爭嘅",
    "I'm only telling you the facts here.",
    "It's not a scam, those are the charges.",
    "There's no point shouting at me.",
  ],
  "come-back-later": [
    "今天办不了了，改天再来吧",
    "已经关门了，你下周再过来",
    "聽日再嚟啦",
    "Come back tomorrow.",
    "We're closing, try again next week.",
    "You'll have to come back another day.",
  ],
  "brushing-off": [
    "这事不归我们管",
    "跟我没关系",
    "我哪知道你的钱去哪了",
    "唔關我事",
    "Not my department.",
    "I have no idea, ask someone else.",
    "That's not our problem.",
    "Yeah yeah, wait over there.",
    "还有别的事吗？后面还有人在排队",
    "没有别的事的话就先这样",
    "那我也没办法，就这样吧",
    "该说的我都说了",
    "我们哪知道你家里怎么用的",
    "没有的话这次就先到这里",
    "Anything else? There's a queue behind you.",
    "It's just one of those things, these things happen.",
    "There's not much I can do about that.",
    "Is there anything else, if not I'll call the next one.",
  ],
};

const SERVICE: Record<string, string[]> = {
  apology: [
    "真是对不住您",
    "給您添麻煩了",
    "唔好意思要你等咗咁耐",
    "I do apologise for the wait.",
    "Sorry about all this.",
  ],
  "validating-feeling": [
    "换作是我也会很着急",
    "您担心是很正常的",
    "我完全理解你嘅心情",
    "That must have been really stressful.",
    "Anyone would be upset about that.",
    "It's not your fault at all.",
    "大热天跑这一趟，辛苦了",
    "换谁遇到这种事都会心里不踏实",
    "突然多扣了钱，心里肯定不好受",
    "工作刚没了还要还贷款，压力肯定很大",
    "这事确实挺耽误事的",
    "您来问一下是对的",
    "这不是您操作的问题",
    "大老远跑过来，真是麻烦您了",
    "账单突然翻倍，您一定觉得莫名其妙",
    "您怕卡被人盗用，我理解。",
    "錢突然唔見咗，真係嚇親人",
    "That's really disappointing, especially after you planned around it.",
    "What a worrying few days for you.",
    "That's a lot to deal with on top of everything else.",
  ],
  "naming-the-worry": [
    "您最担心的是这笔钱能不能赶上交房租",
    "这笔钱是给老人看病用的，耽误不得",
    "You're worried the money won't arrive before the rent is due.",
    "Your savings are safe, nothing has left the account.",
    "With the movers coming tomorrow, you'll want this sorted today.",
    "Especially when it's your daughter waiting for the money.",
  ],
  ownership: [
    "这件事交给我",
    "我来跟进，有结果亲自打给您",
    "這件事由我負責到底",
    "Leave it with me.",
    "I'll personally follow this up.",
    "That was our mistake.",
  ],
  "next-step": [
    "我马上帮您挂失",
    "明天中午十二点前给您回电话",
    "您可以选择先用手机银行转账",
    "I can arrange a replacement card today.",
    "Let me check the transaction history.",
    "You'll hear from me by 5 pm tomorrow.",
  ],
};

/** Good service that looks like a taboo at a glance: negations, quotes, rules with reasons. */
const NEAR_MISSES = [
  "这不是您的问题，是我们的短信没发出去",
  "不怪您，这种诈骗手法很隐蔽",
  "您不必自己跑一趟，我帮您联系开户行",
  "不用您自己去找，我陪您过去",
  "您刚才说我们推来推去，这个意见我记下了",
  "您说“这是什么破规定”，我理解您的不满",
  "取现超过五万元需要身份证，这是为了防止别人冒领您的钱，您看我先帮您预约好吗",
  "按规定不能代签名，不过我可以陪您去找主管，看看怎么办最快",
  "如果实在没办法当天到账，我会亲自给您打电话说明",
  "我们可以先帮您冻结账户，这样钱就安全了",
  "您应该会在十分钟内收到短信",
  "系统显示这笔钱已经到账了，我打印给您看",
  "我来帮您把表填好，您只需要签个名",
  "这个我不太清楚，我马上帮您问一下后台，五分钟内答复您",
  "您没注意到这条短信也很正常，它混在广告里",
  "明天上午十点我亲自给您回电话",
  "我们的系统今天下午升级，给您添麻烦了，我先手工帮您登记",
  "您是不是方便留个电话？",
  "是不是这样的情况：您取款后才发现少了一张？",
  "請您自己核對一下金額，然後簽名就可以",
  "No need for you to come back, I'll post it to you.",
  "You don't have to call them yourself, I'll do it now.",
  "It's not your fault; the letter went to the old address.",
  "You said we keep passing you around, and you're right to be annoyed.",
  "For your security we need to see ID for large withdrawals; I can book you a slot at 9 tomorrow so you skip the queue.",
  "You should receive a text within the hour.",
  "You must be exhausted after all this.",
  "I'm not sure yet, so let me check with the card team right now.",
  "If the system won't accept it, I'll process it manually for you.",
  "You shouldn't have to wait this long, I'm sorry.",
  "Nobody is blaming you here.",
  "请问还有其他可以帮您的吗？",
  "还有什么需要我帮忙的吗？我都在这儿",
  "Is there anything else I can help you with today?",
  "您辛苦一下，在这里签个字",
  "如果没有的话，我们再看看别的办法",
  "您也可以自己打客服，不过我现在就能帮您查",
  "我帮您联系家里人，让他们放心",
  "You can track it online too, and I'll email you the link now.",
  "这不是您自己没发现的问题，漏点在墙里",
  "It looks like you were charged twice; I'll reverse one now.",
  "您可能是想问利率，也可能是想问期限，我都给您说一下",
  "我理解错了您的意思，抱歉，我再确认一下",
  "If you can, let us know before you travel next time, and I'll note it on the account now.",
  "我们可以帮您联系快递公司，您不用自己跑",
  "您真的不用担心，钱是安全的",
  "You don't need to sort it out yourself; I'll call the airline now.",
  "I can see the transfer on my screen; let me explain what happened.",
];

describe("taboo families, each in several wordings and scripts", () => {
  for (const [family, lines] of Object.entries(TABOO)) {
    it(`${family}: every wording is caught`, () => {
      for (const line of lines) expect(tabooFamilies(line), line).toContain(family);
    });
  }
});

describe("empathy and next-step families", () => {
  for (const [family, lines] of Object.entries(SERVICE)) {
    it(`${family}: every wording is caught`, () => {
      for (const line of lines) expect(families(line), line).toContain(family);
    });
  }
});

describe("near misses stay clean", () => {
  it(`${NEAR_MISSES.length} lines of good service get no taboo hit`, () => {
    expect(NEAR_MISSES.length).toBeGreaterThanOrEqual(30);
    for (const line of NEAR_MISSES) expect(tabooFamilies(line), line).toEqual([]);
  });
});

describe("a colleague's opposite answer", () => {
  const colleagueHits = (turns: { seq: number; text: string; speaker?: "trainee" | "colleague" }[]) =>
    detect(turns)
      .filter((h) => h.family === "contradicting-colleague")
      .map((h) => h.turn);
  it("a colleague opening with a flat no, or the trainee dismissing the colleague, is caught", () => {
    expect(
      colleagueHits([
        { seq: 1, text: "手续费要一百" },
        { seq: 2, text: "不对吧，现在免费了", speaker: "colleague" },
      ]),
    ).toEqual([2]);
    expect(
      colleagueHits([
        { seq: 1, text: "It's five days." },
        { seq: 2, text: "No, it's two now.", speaker: "colleague" },
      ]),
    ).toEqual([2]);
    expect(
      colleagueHits([
        { seq: 1, text: "我们这里可以办", speaker: "colleague" },
        { seq: 2, text: "不是的，这个要去总行" },
      ]),
    ).toEqual([2]);
    expect(
      colleagueHits([
        { seq: 1, text: "We can do that here.", speaker: "colleague" },
        { seq: 2, text: "That's not right, it has to go to head office." },
      ]),
    ).toEqual([2]);
  });
  it("a colleague adding a fact, and a trainee accepting it, are clean", () => {
    const turns = [
      { seq: 1, text: "今天库存刚补了，够取", speaker: "colleague" as const },
      { seq: 2, text: "对，谢谢提醒，我马上帮您办" },
      { seq: 3, text: "It's three days now, they changed it.", speaker: "colleague" as const },
      { seq: 4, text: "Thanks, that's right, sorry for the confusion." },
      { seq: 5, text: "不对的地方我来改，您放心" },
    ];
    expect(colleagueHits(turns)).toEqual([]);
  });
});

describe("a hit", () => {
  it("quotes the trainee's own characters, traditional and full-width, with its turn", () => {
    const hits = detect([
      { seq: 2, text: "您好" },
      { seq: 4, text: "這是銀行的規定，我也冇辦法" },
    ]);
    // One habit, once: the helplessness belongs to the rule it follows (not a second, brushing-off hit).
    expect(hits.filter((h) => h.kind === "taboo")).toEqual([
      { family: "hiding-behind-rules", kind: "taboo", turn: 4, words: "這是銀行的規定" },
    ]);
    expect(detect([{ seq: 1, text: "ＴＨＡＴ’S the policy." }])[0]?.words).toBe("ＴＨＡＴ’S the policy");
  });

  it("a monologue is rambling, quoted by its opening words", () => {
    const long = `首先，${"这个业务涉及很多环节和规定需要跟您解释清楚".repeat(12)}。`;
    const hit = detect([{ seq: 3, text: long }]).find((h) => h.family === "rambling");
    expect(hit?.turn).toBe(3);
    expect(long.startsWith(hit?.words.replace("…", "") ?? "x")).toBe(true);
  });
});

describe("trainers' additions", () => {
  it("a rubric's pattern joins its family; a persona's scenario taboo keeps its id and label", () => {
    const text = "总行拍板的事，改不了。保证今天全额退给您。";
    expect(tabooFamilies(text)).toEqual([]);
    const hits = detect(
      [{ seq: 1, text }],
      [
        { language: "zh-CN", families: { "hiding-behind-rules": ["总行拍板"] } },
        {
          language: "zh-CN",
          scenarioTaboos: [{ id: "promise-refund", label: "未核实先承诺退款", patterns: ["保证..4退给你"] }],
          scenarioEmpathy: ["全额"],
        },
      ],
    );
    expect(hits.map((h) => [h.family, h.words, h.label])).toEqual([
      ["hiding-behind-rules", "总行拍板", undefined],
      ["promise-refund", "保证今天全额退给您", "未核实先承诺退款"],
      ["validating-feeling", "全额", undefined],
    ]);
  });
});

describe("the pattern language", () => {
  const zh = PACKS["zh-CN"].lexicons;
  const en = PACKS.en.lexicons;
  const matches = (pattern: string, text: string, language: "zh-CN" | "en" = "zh-CN") =>
    compilePattern(pattern, language, language === "en" ? en : zh).test(canonical(text).text);

  it("gaps are bounded and stop at the end of a sentence", () => {
    expect(matches("规定..不行", "规定上确实不行")).toBe(true);
    expect(matches("规定..2不行", "规定上面确实不行")).toBe(false);
    expect(matches("规定..不行", "规定。不行")).toBe(false);
    expect(matches("you .. wrong", "you got it all wrong", "en")).toBe(true);
    expect(matches("you .. wrong", "your fee was wrong", "en")).toBe(false);
  });

  it("patterns are read like the text: traditional, 您, contractions, optional words", () => {
    expect(matches("這是規定", "这是规定")).toBe(true);
    expect(matches("您必须", "你必须")).toBe(true);
    expect(matches("that's (just )?the policy", "That is just the policy", "en")).toBe(true);
    expect(matches("you (will)? have to", "you have to", "en")).toBe(true);
    expect(matches("#个工作日", "三个工作日")).toBe(true);
  });

  it("a pattern that does not compile says why and where", () => {
    const fault = (p: string) => {
      try {
        compilePattern(p, "zh-CN", zh);
        return null;
      } catch (e) {
        return e instanceof PatternError ? [e.code, e.column] : null;
      }
    };
    expect(fault("(规定|制度")).toEqual(["unclosedBracket", 1]);
    expect(fault("规定)")).toEqual(["unopenedBracket", 3]);
    expect(fault("{nothing}")).toEqual(["unknownLexicon", null]);
    expect(fault("规定..40不行")).toEqual(["gapRange", 3]);
    expect(fault("?规定")).toEqual(["misplacedOptional", 1]);
    expect(fault("(规定)?")).toEqual(["matchesEmpty", null]);
    expect(fault("规定|")).toEqual(["emptyChoice", 3]);
  });
});
