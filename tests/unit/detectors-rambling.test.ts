// Rambling (the seeds' 滔滔不绝: a lecture instead of an answer) is read from the shape of a turn,
// not from a phrase: long against the customer's message, the answer buried under procedure,
// background and talk about the bank or oneself. Wordings of our own, in simplified and
// traditional Chinese and English, with near misses: long turns that care or answer first, a long
// answer to a long message, a short procedural answer.
import { describe, expect, it } from "vitest";
import { detect, type TurnText } from "../../src/evaluation/detectors/index.ts";

function rambles(customer: string, staff: string): boolean {
  const turns: TurnText[] = [
    { seq: 1, text: customer, speaker: "customer" },
    { seq: 2, text: staff },
  ];
  return detect(turns).some((h) => h.family === "rambling" && h.turn === 2);
}

const RAMBLING: Array<[string, string]> = [
  [
    "我的卡被机器吞了，怎么办？",
    "是这样的，我们这个自助设备呢，它是有一套自动保护机制的，一般来说如果连续输错密码或者操作超时，系统就会自动把卡回收，这个是总行统一设置的，所有网点都一样。然后回收的卡呢，每天下午会有专人来清机，清机以后要登记，登记完还要交给后台核对，核对没问题才能发还。其实以前也遇到过很多客户吞卡，大部分都是因为操作不熟悉。",
  ],
  [
    "轉帳怎麼還沒到？",
    "這個問題呢，我跟您說一下，我們銀行的流程是這樣的，首先要由櫃檯受理，然後送到後台審核，審核通過以後還要總行覆核，一般來說整個過程需要一段時間。另外呢，跨行的話還要經過清算中心，清算中心那邊也有他們自己的規定，所以時間上我們也不好控制，之前也有客戶問過類似的問題，我們也跟上面反映過。",
  ],
  [
    "存折丢了能补吗？",
    "存折这个东西呢，其实现在用的人越来越少了，我们行这几年一直在推广电子账户，很多年轻客户早就不用存折了。以前我们网点每天要补好几本存折，现在一个月也就一两本。补存折的话呢，按照规定首先要挂失，挂失以后有七天的等待期，等待期满了还要再来办理补发手续，而且手续费也是总行定的。",
  ],
  [
    "Where is my refund?",
    "So the way it works is, when a refund is requested it first goes to our back office, and then they generally pass it on to the payments team, who usually batch these up at the end of the week. After that the system has to reconcile everything, which normally takes a while, and of course head office also reviews anything over a certain amount. Actually, I have been here eight years and the process has changed a few times, so it is a bit complicated.",
  ],
  [
    "Can I close this account today?",
    "Well, basically, account closures are handled by a separate team these days. Back when I started we could do it all at the counter, but the procedure changed because of compliance, so now the request goes through our central operations first, and then they check for any pending transactions, standing orders and so on. Most customers do not realise how many steps there are. Also, by the way, the system sometimes flags older accounts for extra checks, which is a whole other process.",
  ],
  // Every case but the customer's: kinds, possibilities, conditions.
  [
    "信用卡年费能免吗？",
    "年费这个分几种情况，普卡和金卡不一样，白金卡又是另一种算法，有的卡刷满六次可以免，有的要刷满一定金额，如果是联名卡的话还要看合作方的规定，另外主卡和附属卡也要分开算，附属卡有的免有的不免，还有一些活动期间办的卡是首年免，次年要看消费情况。",
  ],
  [
    "呢張卡點解用唔到？",
    "卡用唔到可以有好多原因，可能係密碼輸錯咗三次，可能係過咗有效期，又可能係海外交易冇開通，亦有可能係系統檢測到可疑交易自動凍結，如果係晶片磨損嘅話就要換卡，換卡又要睇係咪本人親自辦，唔係本人就要授權書，仲要帶埋身份證明文件同埋住址證明。",
  ],
  [
    "Why was my card declined?",
    "Well, there are several reasons a card can be declined. It could be the PIN, if it was entered wrongly three times, or the card might have expired, or for example the merchant could be flagged, or the fraud system might block anything unusual, which it does for a lot of customers. If it is a chip problem the card has to be replaced, and if the card is used abroad there is also the travel setting, and then the contactless limits as well.",
  ],
  // A "why" met with the whole background before any reason for this customer.
  [
    "为什么我的贷款没批？",
    "贷款审批这个东西呢，一般是总行的风控系统统一来做的，首先要看征信，然后看收入流水，还要看负债比例，另外不同的产品准入条件也不一样，有的要求社保满一年，有的要求公积金，还有一些是看单位性质的，而且每个季度的额度政策也会调整，其实很多客户都不太了解这些。",
  ],
];

const NEAR_MISSES: Array<[string, string]> = [
  // Cares first, then explains at length.
  [
    "我的卡被机器吞了，怎么办？",
    "真是不好意思，卡被吞了您肯定着急。我现在就帮您联系清机的同事，一般下午三点清机，清出来以后我马上给您打电话，您带身份证过来就能当场领回。如果您今天急着用钱，我也可以先帮您在柜台办理无卡取款，您看这样可以吗？另外您这张卡的密码要是记不清，我们顺便帮您重置一下。",
  ],
  // Answers first with the figure asked for, then the detail.
  [
    "多久能到账？",
    "两到三个工作日。跨行汇款要经过人民银行的清算系统，我们这边今天下午四点前提交，明天就能进入清算，一般后天上午就能到；如果您急用，我可以帮您改成加急通道，当天就能到，手续费多二十元，您看需要吗？我把查询号码写给您，到账前您随时可以打电话问我。",
  ],
  // Traditional: acts for the customer at once.
  [
    "轉帳怎麼還沒到？",
    "我馬上幫您查一下這筆轉帳。您稍等，我看到系統裡這筆已經送出，現在卡在對方銀行的入帳環節，一般當天就會完成。我現在打電話給對方銀行的客服確認原因，十分鐘內給您答覆；如果今天還是沒有入帳，我幫您發起查詢，您不用再跑一趟，有結果我直接打給您。",
  ],
  // A long answer to a long message is no lecture.
  [
    "我上个月在你们这里买了一份理财，当时说的是保本，结果到期少了两千块，我去问了客服说是市场波动，可是当时根本没人告诉我会亏，我现在就想知道这到底是怎么回事，谁来负责？",
    "这笔钱到期少了两千，您又是按保本的说法买的，换谁都会着急。我先把当时的购买记录和风险评估调出来，看销售的时候是怎么介绍的；如果确实没有讲清风险，我们按投诉流程给您处理，三个工作日内我给您回电话。",
  ],
  [
    "Where is my refund?",
    "I am sorry it has not reached you yet, I know you were counting on it. I have just checked: the refund was approved on Monday and is with the payments team now. I will chase them today and call you by Thursday afternoon with the date it lands, and if it has not arrived by Friday I will raise it with my manager myself so you do not have to keep calling us.",
  ],
  [
    "Can I close this account today?",
    "Yes, we can close it today. There are two things I need to check first: whether any standing orders still go out of it, and whether any payments are pending. If there are, I will move them to your other account with you now, so nothing bounces. It takes about fifteen minutes, and I will print you a closing statement before you leave so you have it in writing.",
  ],
  // Possibilities, but after caring and with the check done for the customer.
  [
    "Why was my card declined?",
    "I am sorry, that is embarrassing at a till, especially with people waiting. There are a few possible reasons, so let me check your card right now: I can see the fraud system paused it after a payment abroad, which it does to protect you. I will lift that now and you can use the card again straight away; if you are travelling again, I can note the dates so it does not happen.",
  ],
  [
    "呢張卡點解用唔到？",
    "唔好意思，卡用唔到真係好麻煩。我而家即刻幫你查吓：系統顯示係海外交易未開通，所以被擋咗。我幫你開通埋，兩分鐘就搞掂；如果你之後仲要去旅行，我亦可以幫你登記日期，咁就唔會再俾系統擋住，有咩問題可以直接搵我。",
  ],
  // "Why?" answered with the reason first, then the options.
  [
    "为什么不能让我代取？",
    "因为存款是您母亲本人的，为了防止被人冒领，银行要求本人来或者带齐委托材料。您母亲行动不便的话，我们可以预约上门服务，工作人员带设备到家里核实身份，核实完您就能代办；也可以先办一张授权书，我把需要的材料写在纸上给您，您看哪种方便？",
  ],
  [
    "點解唔可以幫我改地址？",
    "係因為改地址要核對本人身份，防止有人冒認去改您嘅資料，所以需要您本人或者授權文件。如果您今日唔方便，可以用手機銀行上傳身份證明，一般一個工作天就改好；或者您聽日嚟之前打個電話俾我，我預先準備好表格，您嚟到五分鐘就搞掂。",
  ],
  [
    "Why can't my son collect it for me?",
    "Because the account is in your name, and we have to be sure nobody else can take money out of it, so the bank asks for you or a signed authority. If coming in is hard, there are two ways round it: a mobile banker can visit you at home to check your identity, or you can sign an authority form, which I can post to you today with a prepaid envelope so your son can bring it back.",
  ],
  // Short and procedural: explaining is not rambling.
  ["存折丢了能补吗？", "能补的。先挂失，七天后带身份证来领新存折，挂失我现在就能帮您办。"],
];

describe("rambling is read from the shape of a turn", () => {
  it.each(RAMBLING)("a lecture that buries the answer: %s", (customer, staff) => {
    expect(rambles(customer, staff)).toBe(true);
  });

  it.each(NEAR_MISSES)("a long turn that cares, answers or acts first is not: %s", (customer, staff) => {
    expect(rambles(customer, staff)).toBe(false);
  });

  it.each(NEAR_MISSES.filter(([customer]) => /why|为什么|點解/i.test(customer)))(
    "a rule explained with its reason and options is not, even to a statement: %s",
    (_question, staff) => {
      expect(rambles(/[a-z]/i.test(staff) ? "My son will collect it." : "我想办这个。", staff)).toBe(false);
    },
  );

  it("the same lecture is not rambling in answer to an equally long message", () => {
    const [, lecture] = RAMBLING[0] as [string, string];
    expect(rambles("卡被吞了", lecture)).toBe(true);
    expect(rambles(lecture.replace(/我们/g, "你们"), lecture)).toBe(false);
  });

  it("a turn far longer than any answer is a monologue whatever it says", () => {
    const long = `非常抱歉，${"我帮您把每一笔费用都核对清楚，".repeat(20)}`;
    expect(rambles("费用怎么算的？", long)).toBe(true);
  });
});
