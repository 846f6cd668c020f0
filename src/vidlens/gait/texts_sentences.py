"""Warnings, notes, verdicts and summaries of gait results in the nine result languages
(see :mod:`vidlens.gait.i18n`)."""

# ruff: noqa: RUF001  (CJK text uses full-width punctuation on purpose)

TEXTS: dict[str, dict[str, str]] = {
    "warning_several_people": {
        "en": "{people} people are visible; the one with the most leg movement was analysed.",
        "fr": (
            "{people} personnes sont visibles ; celle dont les jambes bougent le plus a été "
            "analysée."
        ),
        "de": (
            "{people} Personen sind sichtbar; die Person mit der meisten Beinbewegung wurde "
            "analysiert."
        ),
        "zh": "画面中有 {people} 人；已分析腿部动作最多的那位。",
        "ko": "{people}명이 보입니다. 다리 움직임이 가장 많은 사람을 분석했습니다.",
        "pt": "{people} pessoas estão visíveis; foi analisada a que mais move as pernas.",
        "es": "Hay {people} personas visibles; se analizó la que más mueve las piernas.",
        "it": (
            "Sono visibili {people} persone; è stata analizzata quella che muove di più le gambe."
        ),
        "ja": "{people} 人が映っています。脚の動きが最も大きい人を分析しました。",
    },
    "warning_view_mismatch": {
        "en": "The footage looks like a {seen} but {requested} was requested.",
        "fr": "La vidéo ressemble à une {seen} alors que {requested} a été demandée.",
        "de": "Das Video sieht nach {seen} aus, angefordert wurde jedoch {requested}.",
        "zh": "视频看起来是{seen}，但请求的是{requested}。",
        "ko": "영상은 {seen}처럼 보이지만 {requested}이(가) 요청되었습니다.",
        "pt": "O vídeo parece uma {seen}, mas foi pedida {requested}.",
        "es": "El vídeo parece una {seen}, pero se pidió {requested}.",
        "it": "Il video sembra una {seen} ma è stata richiesta {requested}.",
        "ja": "映像は{seen}に見えますが、{requested}が指定されました。",
    },
    "summary_running": {
        "en": "Running at {cadence:.0f} steps per minute.",
        "fr": "Course à {cadence:.0f} pas par minute.",
        "de": "Laufen mit {cadence:.0f} Schritten pro Minute.",
        "zh": "跑步，步频每分钟 {cadence:.0f} 步。",
        "ko": "분당 {cadence:.0f}걸음으로 달리기.",
        "pt": "Corrida a {cadence:.0f} passos por minuto.",
        "es": "Carrera a {cadence:.0f} pasos por minuto.",
        "it": "Corsa a {cadence:.0f} passi al minuto.",
        "ja": "毎分 {cadence:.0f} 歩のランニング。",
    },
    "summary_walking": {
        "en": "Walking at {cadence:.0f} steps per minute.",
        "fr": "Marche à {cadence:.0f} pas par minute.",
        "de": "Gehen mit {cadence:.0f} Schritten pro Minute.",
        "zh": "步行，步频每分钟 {cadence:.0f} 步。",
        "ko": "분당 {cadence:.0f}걸음으로 걷기.",
        "pt": "Caminhada a {cadence:.0f} passos por minuto.",
        "es": "Caminar a {cadence:.0f} pasos por minuto.",
        "it": "Camminata a {cadence:.0f} passi al minuto.",
        "ja": "毎分 {cadence:.0f} 歩の歩行。",
    },
    "summary_style_walking": {
        "en": (
            "Both feet share the ground for part of every step (duty factor above 0.5): this is "
            "walking."
        ),
        "fr": (
            "Les deux pieds sont au sol ensemble pendant une partie de chaque pas (facteur de "
            "contact supérieur à 0,5) : c'est de la marche."
        ),
        "de": (
            "Beide Füße sind bei jedem Schritt eine Zeit lang gleichzeitig am Boden (Duty-Faktor "
            "über 0,5): das ist Gehen."
        ),
        "zh": "每一步都有双脚同时着地的阶段（支撑占空比大于 0.5）：这是步行。",
        "ko": (
            "매 걸음마다 두 발이 함께 지면에 닿는 구간이 있습니다 (듀티 팩터 0.5 초과): 걷기입니다."
        ),
        "pt": (
            "Os dois pés ficam no solo juntos em parte de cada passo (fator de contato acima de "
            "0,5): isto é caminhada."
        ),
        "es": (
            "Ambos pies comparten el suelo durante parte de cada paso (factor de apoyo superior "
            "a 0,5): esto es caminar."
        ),
        "it": (
            "Entrambi i piedi sono a terra insieme per parte di ogni passo (duty factor "
            "superiore a 0,5): questa è camminata."
        ),
        "ja": (
            "毎歩、両足が同時に接地する時間があります（デューティーファクター0.5超）：これは歩行"
            "です。"
        ),
    },
    "summary_style_bouncer": {
        "en": "Short ground contacts and much vertical motion: a lot of the effort goes upwards.",
        "fr": (
            "Contacts au sol courts et beaucoup de mouvement vertical : une grande part de "
            "l'effort part vers le haut."
        ),
        "de": (
            "Kurze Bodenkontakte und viel vertikale Bewegung: ein großer Teil der Kraft geht "
            "nach oben."
        ),
        "zh": "触地时间短、垂直起伏大：大量力量用于向上。",
        "ko": "짧은 지면 접촉과 큰 수직 움직임: 힘의 상당 부분이 위로 향합니다.",
        "pt": (
            "Contatos curtos com o solo e muito movimento vertical: boa parte do esforço vai "
            "para cima."
        ),
        "es": (
            "Contactos cortos con el suelo y mucho movimiento vertical: gran parte del esfuerzo "
            "va hacia arriba."
        ),
        "it": (
            "Contatti brevi al suolo e molto movimento verticale: gran parte dello sforzo va "
            "verso l'alto."
        ),
        "ja": "接地時間が短く上下動が大きい：力の多くが上方向に使われています。",
    },
    "summary_style_glider": {
        "en": "Short ground contacts and little vertical motion: a flat, economical stride.",
        "fr": (
            "Contacts au sol courts et peu de mouvement vertical : une foulée rasante et "
            "économique."
        ),
        "de": (
            "Kurze Bodenkontakte und wenig vertikale Bewegung: ein flacher, ökonomischer Laufstil."
        ),
        "zh": "触地时间短、垂直起伏小：平稳而经济的步幅。",
        "ko": "짧은 지면 접촉과 작은 수직 움직임: 평평하고 경제적인 주법입니다.",
        "pt": (
            "Contatos curtos com o solo e pouco movimento vertical: uma passada rasante e "
            "econômica."
        ),
        "es": (
            "Contactos cortos con el suelo y poco movimiento vertical: una zancada rasante y "
            "económica."
        ),
        "it": (
            "Contatti brevi al suolo e poco movimento verticale: una falcata radente ed economica."
        ),
        "ja": "接地時間が短く上下動が小さい：フラットで経済的な走り。",
    },
    "summary_style_pusher": {
        "en": "Long ground contacts and much vertical motion: power comes from a long push-off.",
        "fr": (
            "Contacts au sol longs et beaucoup de mouvement vertical : la puissance vient d'une "
            "longue poussée."
        ),
        "de": (
            "Lange Bodenkontakte und viel vertikale Bewegung: die Kraft kommt aus einem langen "
            "Abdruck."
        ),
        "zh": "触地时间长、垂直起伏大：动力来自较长的蹬地。",
        "ko": "긴 지면 접촉과 큰 수직 움직임: 긴 밀어내기에서 힘이 나옵니다.",
        "pt": (
            "Contatos longos com o solo e muito movimento vertical: a potência vem de uma "
            "impulsão longa."
        ),
        "es": (
            "Contactos largos con el suelo y mucho movimiento vertical: la potencia viene de un "
            "impulso largo."
        ),
        "it": (
            "Contatti lunghi al suolo e molto movimento verticale: la potenza viene da una "
            "spinta lunga."
        ),
        "ja": "接地時間が長く上下動が大きい：長い蹴り出しで推進しています。",
    },
    "summary_style_shuffler": {
        "en": "Long ground contacts and little vertical motion: a low, shuffling stride.",
        "fr": "Contacts au sol longs et peu de mouvement vertical : une foulée basse et traînante.",
        "de": (
            "Lange Bodenkontakte und wenig vertikale Bewegung: ein flacher, schlurfender Laufstil."
        ),
        "zh": "触地时间长、垂直起伏小：低而拖沓的步幅。",
        "ko": "긴 지면 접촉과 작은 수직 움직임: 낮고 끄는 듯한 주법입니다.",
        "pt": (
            "Contatos longos com o solo e pouco movimento vertical: uma passada baixa e arrastada."
        ),
        "es": (
            "Contactos largos con el suelo y poco movimiento vertical: una zancada baja y "
            "arrastrada."
        ),
        "it": (
            "Contatti lunghi al suolo e poco movimento verticale: una falcata bassa e strisciata."
        ),
        "ja": "接地時間が長く上下動が小さい：低く、すり足気味の走り。",
    },
    "verdict_good": {
        "en": "{label}: {value} {unit}, within the target range {low} to {high} {unit}.",
        "fr": "{label} : {value} {unit}, dans la plage cible de {low} à {high} {unit}.",
        "de": "{label}: {value} {unit}, im Zielbereich von {low} bis {high} {unit}.",
        "zh": "{label}：{value} {unit}，在目标范围 {low} 至 {high} {unit} 内。",
        "ko": "{label}: {value} {unit}, 목표 범위 {low}~{high} {unit} 안에 있습니다.",
        "pt": "{label}: {value} {unit}, dentro da faixa ideal de {low} a {high} {unit}.",
        "es": "{label}: {value} {unit}, dentro del rango objetivo de {low} a {high} {unit}.",
        "it": "{label}: {value} {unit}, nell'intervallo obiettivo da {low} a {high} {unit}.",
        "ja": "{label}：{value} {unit}、目標範囲 {low}〜{high} {unit} 内です。",
    },
    "verdict_low": {
        "en": "{label}: {value} {unit}, below the target range {low} to {high} {unit}.",
        "fr": "{label} : {value} {unit}, en dessous de la plage cible de {low} à {high} {unit}.",
        "de": "{label}: {value} {unit}, unter dem Zielbereich von {low} bis {high} {unit}.",
        "zh": "{label}：{value} {unit}，低于目标范围 {low} 至 {high} {unit}。",
        "ko": "{label}: {value} {unit}, 목표 범위 {low}~{high} {unit}보다 낮습니다.",
        "pt": "{label}: {value} {unit}, abaixo da faixa ideal de {low} a {high} {unit}.",
        "es": "{label}: {value} {unit}, por debajo del rango objetivo de {low} a {high} {unit}.",
        "it": "{label}: {value} {unit}, sotto l'intervallo obiettivo da {low} a {high} {unit}.",
        "ja": "{label}：{value} {unit}、目標範囲 {low}〜{high} {unit} を下回っています。",
    },
    "verdict_high": {
        "en": "{label}: {value} {unit}, above the target range {low} to {high} {unit}.",
        "fr": "{label} : {value} {unit}, au-dessus de la plage cible de {low} à {high} {unit}.",
        "de": "{label}: {value} {unit}, über dem Zielbereich von {low} bis {high} {unit}.",
        "zh": "{label}：{value} {unit}，高于目标范围 {low} 至 {high} {unit}。",
        "ko": "{label}: {value} {unit}, 목표 범위 {low}~{high} {unit}보다 높습니다.",
        "pt": "{label}: {value} {unit}, acima da faixa ideal de {low} a {high} {unit}.",
        "es": "{label}: {value} {unit}, por encima del rango objetivo de {low} a {high} {unit}.",
        "it": "{label}: {value} {unit}, sopra l'intervallo obiettivo da {low} a {high} {unit}.",
        "ja": "{label}：{value} {unit}、目標範囲 {low}〜{high} {unit} を上回っています。",
    },
    "note_speed_from_pace": {
        "en": "From the pace you gave ({pace} per km).",
        "fr": "D'après l'allure indiquée ({pace} par km).",
        "de": "Aus der angegebenen Pace ({pace} pro km).",
        "zh": "根据您提供的配速（每公里 {pace}）。",
        "ko": "입력한 페이스(km당 {pace}) 기준입니다.",
        "pt": "A partir do ritmo informado ({pace} por km).",
        "es": "A partir del ritmo indicado ({pace} por km).",
        "it": "Dal passo indicato ({pace} al km).",
        "ja": "入力されたペース（1 kmあたり {pace}）から算出。",
    },
    "note_speed_from_video": {
        "en": (
            "From the pelvis's travel over the ground, scaled by the runner's height "
            "({height:.0f} cm)."
        ),
        "fr": (
            "D'après le déplacement du bassin au sol, mis à l'échelle par la taille du coureur "
            "({height:.0f} cm)."
        ),
        "de": (
            "Aus der Bewegung des Beckens über Grund, skaliert mit der Körpergröße ({height:.0f} "
            "cm)."
        ),
        "zh": "根据骨盆的地面位移，并按跑者身高（{height:.0f} 厘米）换算。",
        "ko": "골반의 지면 이동 거리를 주자의 키({height:.0f} cm)로 환산했습니다.",
        "pt": (
            "A partir do deslocamento da pelve sobre o solo, na escala da altura do corredor "
            "({height:.0f} cm)."
        ),
        "es": (
            "A partir del desplazamiento de la pelvis sobre el suelo, a escala de la estatura "
            "del corredor ({height:.0f} cm)."
        ),
        "it": (
            "Dallo spostamento del bacino sul terreno, in scala con l'altezza del corridore "
            "({height:.0f} cm)."
        ),
        "ja": "骨盤の移動距離を、ランナーの身長（{height:.0f} cm）で換算して算出。",
    },
    "warning_low_fps": {
        "en": (
            "Filmed at {fps:.0f} fps: contact and flight times carry a low confidence (one frame "
            "is {frame_ms:.0f} ms); film at 60 fps or more."
        ),
        "fr": (
            "Filmé à {fps:.0f} i/s : les temps de contact et de vol sont peu fiables (une image "
            "dure {frame_ms:.0f} ms) ; filmez à 60 i/s ou plus."
        ),
        "de": (
            "Mit {fps:.0f} fps gefilmt: Kontakt- und Flugzeiten sind unsicher (ein Bild dauert "
            "{frame_ms:.0f} ms); mit 60 fps oder mehr filmen."
        ),
        "zh": (
            "以 {fps:.0f} 帧/秒拍摄：触地和腾空时间可信度低（每帧 {frame_ms:.0f} 毫秒）；请以 60 "
            "帧/秒或以上拍摄。"
        ),
        "ko": (
            "{fps:.0f}fps로 촬영됨: 접촉 및 체공 시간의 신뢰도가 낮습니다 (한 프레임 "
            "{frame_ms:.0f}ms). 60fps 이상으로 촬영하세요."
        ),
        "pt": (
            "Filmado a {fps:.0f} fps: os tempos de contato e de voo têm baixa confiança (um "
            "quadro dura {frame_ms:.0f} ms); filme a 60 fps ou mais."
        ),
        "es": (
            "Grabado a {fps:.0f} fps: los tiempos de contacto y de vuelo tienen poca fiabilidad "
            "(un fotograma dura {frame_ms:.0f} ms); grabe a 60 fps o más."
        ),
        "it": (
            "Girato a {fps:.0f} fps: i tempi di contatto e di volo sono poco affidabili (un "
            "fotogramma dura {frame_ms:.0f} ms); girare a 60 fps o più."
        ),
        "ja": (
            "{fps:.0f} fpsで撮影：接地時間と滞空時間の信頼度は低めです（1フレーム {frame_ms:.0f} "
            "ミリ秒）。60 fps以上で撮影してください。"
        ),
    },
    "warning_variable_frame_rate": {
        "en": "The frame rate varies; every time is taken from the video's own timestamps.",
        "fr": "La cadence d'images varie ; chaque temps est tiré des horodatages de la vidéo.",
        "de": "Die Bildrate schwankt; alle Zeiten stammen aus den Zeitstempeln des Videos.",
        "zh": "帧率不固定；所有时间均取自视频自身的时间戳。",
        "ko": (
            "프레임 속도가 일정하지 않습니다. 모든 시간은 영상 자체의 타임스탬프에서 가져왔습니다."
        ),
        "pt": "A taxa de quadros varia; todos os tempos vêm das marcas de tempo do próprio vídeo.",
        "es": (
            "La velocidad de fotogramas varía; todos los tiempos se toman de las marcas de "
            "tiempo del vídeo."
        ),
        "it": (
            "La frequenza dei fotogrammi varia; tutti i tempi provengono dai timestamp del video."
        ),
        "ja": (
            "フレームレートが一定ではありません。すべての時間は動画自体のタイムスタンプから取得し"
            "ています。"
        ),
    },
    "warning_runner_leaves_frame": {
        "en": (
            "The runner is out of the picture for {seconds:.1f} s of the clip; only the visible "
            "part was analysed."
        ),
        "fr": (
            "Le coureur est hors champ pendant {seconds:.1f} s ; seule la partie visible a été "
            "analysée."
        ),
        "de": (
            "Die Person ist {seconds:.1f} s lang nicht im Bild; nur der sichtbare Teil wurde "
            "analysiert."
        ),
        "zh": "跑者有 {seconds:.1f} 秒不在画面中；仅分析了可见部分。",
        "ko": "주자가 {seconds:.1f}초 동안 화면 밖에 있습니다. 보이는 부분만 분석했습니다.",
        "pt": (
            "O corredor fica fora do quadro por {seconds:.1f} s; só a parte visível foi analisada."
        ),
        "es": (
            "El corredor está fuera del encuadre {seconds:.1f} s; solo se analizó la parte visible."
        ),
        "it": (
            "Il corridore è fuori dall'inquadratura per {seconds:.1f} s; è stata analizzata solo "
            "la parte visibile."
        ),
        "ja": "ランナーが {seconds:.1f} 秒間フレーム外にいます。映っている部分のみを分析しました。",
    },
}
